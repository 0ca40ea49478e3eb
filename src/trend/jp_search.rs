//! Exhaustive joinpoint grid search, all numbers of joinpoints at once.
//!
//! The candidate joinpoint sets (τ_1 < ... < τ_k on data points, at least `min_end` points
//! between a joinpoint and either end and `min_between` points between two joinpoints, the
//! joinpoints excluded: NCI's spacing rules) form a prefix tree: every prefix of an allowed set is
//! an allowed set with one joinpoint fewer. Walking the tree in pre-order, each node adds one
//! column (t - τ)+ to its parent's design. The design does not depend on the data, so the node's
//! Gram-Schmidt coefficients against its ancestors are computed once; for a response y the
//! node's projection coefficient then costs O(depth) (the inner product of (t - τ)+ with the
//! response comes from two suffix sums), not O(n). One pass gives the minimum (weighted) SSE
//! of every k = 0..=K — what a permutation replicate needs, a few hundred thousand
//! multiply-adds for n = 37 and K = 5.
//!
//! Fixed columns (intercept, slope and, for a jump model, the step at the jump) form the root.
//! Everything runs in the sqrt(w)-scaled space of weighted least squares.
#![allow(clippy::needless_range_loop)] // index arithmetic over observations and coefficients

/// One node of the prefix tree: a joinpoint set whose last joinpoint is observation `j`.
#[derive(Debug, Clone)]
struct Node {
    /// Number of joinpoints of this set (1-based depth).
    depth: u8,
    /// Index of the last joinpoint (an observation index).
    j: u32,
    /// Parent node (`u32::MAX` for a set of one joinpoint).
    parent: u32,
    /// Index just past this node's subtree in pre-order.
    next: u32,
    /// Offset of the coefficients against the ancestors (`depth - 1` of them, outermost first).
    coef: u32,
    /// 1 / norm of the column after orthogonalisation; 0 marks a singular column.
    inv_norm: f64,
}

/// The grid of candidate joinpoint sets for one series' times and weights.
#[derive(Debug, Clone)]
pub struct JoinGrid {
    n: usize,
    kmax: usize,
    /// Centred times (t - t_0), so suffix sums do not cancel.
    tc: Vec<f64>,
    /// sqrt(w).
    sw: Vec<f64>,
    /// Orthonormal basis of the fixed columns in the scaled space (r vectors of length n).
    root: Vec<Vec<f64>>,
    nodes: Vec<Node>,
    coefs: Vec<f64>,
}

/// Minimum SSE and the joinpoint set reaching it, for each k = 0..=K.
#[derive(Debug, Clone, PartialEq)]
pub struct Best {
    pub sse: Vec<f64>,
    /// Observation indices of the joinpoints of the best set of each k (empty when no set is
    /// allowed; then `sse[k]` is infinite).
    pub joins: Vec<Vec<usize>>,
}

/// Number of joinpoint sets with up to `kmax` joinpoints (the tree's size plus one), as f64.
pub fn count_sets(n: usize, kmax: usize, min_end: usize, min_between: usize) -> f64 {
    (0..=kmax)
        .map(|k| super::joinpoint::count_configurations(n, k, min_end, min_between))
        .sum()
}

/// Responses searched together by [`JoinGrid::search_sse_lanes`].
pub const LANES: usize = 8;

/// Most joinpoints a grid holds: `fit_series` and `jp_compare::compare` refuse more, and
/// [`JoinGrid::new_pooled`] returns `None` above it. The tree's depth never exceeds it, so the
/// depth-indexed working arrays of the searches, sized from it, cannot be overrun whatever
/// its value (they were fixed 64-slot arrays bounded only through a literal 20 elsewhere).
pub const MAX_JOINS: usize = 20;

/// Working space of [`JoinGrid::search_sse_lanes`], reused across the replicates a thread runs.
#[derive(Debug, Clone, Default)]
pub struct LaneScratch {
    y: Vec<[f64; LANES]>,
    s1: Vec<[f64; LANES]>,
    s2: Vec<[f64; LANES]>,
    best: Vec<[f64; LANES]>,
}

/// Working space of one search, reused across the replicates a thread runs.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    y: Vec<f64>,
    s1: Vec<f64>,
    s2: Vec<f64>,
    best_sse: Vec<f64>,
    best_node: Vec<u32>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl JoinGrid {
    /// Build the grid. `t` strictly increasing, `w` positive weights, `fixed` extra root
    /// columns beyond intercept and slope (each of length n, e.g. the jump step).
    /// Returns `None` when the fixed columns are linearly dependent or `kmax` exceeds
    /// [`MAX_JOINS`].
    pub fn new(
        t: &[f64],
        w: &[f64],
        fixed: &[Vec<f64>],
        kmax: usize,
        min_end: usize,
        min_between: usize,
    ) -> Option<JoinGrid> {
        Self::new_pooled(t, w, fixed, kmax, min_end, min_between, 1)
    }

    /// As [`JoinGrid::new`] for `series` series observed at the same times and pooled, rows
    /// ordered by time and then series (`t` = t_0 x series, t_1 x series, ...): the joinpoints
    /// are common to the series and placed on the times, the spacing rules count times (not
    /// rows). Joinpoints are reported as row indices of the last row of their time.
    pub fn new_pooled(
        t: &[f64],
        w: &[f64],
        fixed: &[Vec<f64>],
        kmax: usize,
        min_end: usize,
        min_between: usize,
        series: usize,
    ) -> Option<JoinGrid> {
        if kmax > MAX_JOINS {
            return None;
        }
        let n = t.len();
        let s = series.max(1);
        let times = n / s;
        let tc: Vec<f64> = t.iter().map(|v| v - t[0]).collect();
        let sw: Vec<f64> = w.iter().map(|v| v.max(0.0).sqrt()).collect();
        let mut cols: Vec<Vec<f64>> = vec![sw.clone(), (0..n).map(|i| sw[i] * tc[i]).collect()];
        for f in fixed {
            cols.push((0..n).map(|i| sw[i] * f[i]).collect());
        }
        let mut root: Vec<Vec<f64>> = Vec::new();
        for mut c in cols {
            let norm0 = dot(&c, &c).sqrt();
            for _ in 0..2 {
                for q in &root {
                    let d = dot(q, &c);
                    for i in 0..n {
                        c[i] -= d * q[i];
                    }
                }
            }
            let norm = dot(&c, &c).sqrt();
            if !norm.is_finite() || norm <= 1e-10 * norm0.max(1e-300) {
                return None;
            }
            c.iter_mut().for_each(|v| *v /= norm);
            root.push(c);
        }
        let mut g = JoinGrid {
            n,
            kmax,
            tc,
            sw,
            root,
            nodes: Vec::new(),
            coefs: Vec::new(),
        };
        if kmax > 0 && times > 2 * min_end {
            let mut stack: Vec<Vec<f64>> = Vec::new();
            let row = |i: usize| i * s + s - 1; // last row of time i
            g.grow(
                row(min_end),
                row(times - 1 - min_end),
                (min_between + 1) * s,
                s,
                u32::MAX,
                &mut stack,
            );
        }
        Some(g)
    }

    /// Add the children of the node on top of `stack` (their first joinpoint at >= `lo`).
    /// `lo..=hi` in steps of `step` rows are the candidate rows; a child's first candidate is
    /// `next` rows after its parent's joinpoint.
    fn grow(
        &mut self,
        lo: usize,
        hi: usize,
        next: usize,
        step: usize,
        parent: u32,
        stack: &mut Vec<Vec<f64>>,
    ) {
        let depth = stack.len() + 1;
        if depth > self.kmax {
            return;
        }
        let n = self.n;
        for j in (lo..=hi).step_by(step) {
            let mut c: Vec<f64> = (0..n)
                .map(|i| self.sw[i] * (self.tc[i] - self.tc[j]).max(0.0))
                .collect();
            let norm0 = dot(&c, &c).sqrt();
            let mut coef = vec![0.0; stack.len()];
            for _ in 0..2 {
                for q in &self.root {
                    let d = dot(q, &c);
                    for i in 0..n {
                        c[i] -= d * q[i];
                    }
                }
                for (a, q) in stack.iter().enumerate() {
                    let d = dot(q, &c);
                    coef[a] += d;
                    for i in 0..n {
                        c[i] -= d * q[i];
                    }
                }
            }
            let norm = dot(&c, &c).sqrt();
            let singular = !norm.is_finite() || norm <= 1e-9 * norm0.max(1e-300);
            let idx = self.nodes.len() as u32;
            self.nodes.push(Node {
                depth: depth as u8,
                j: j as u32,
                parent,
                next: 0,
                coef: self.coefs.len() as u32,
                inv_norm: if singular { 0.0 } else { 1.0 / norm },
            });
            self.coefs.extend(&coef);
            if !singular {
                c.iter_mut().for_each(|v| *v /= norm);
                stack.push(c);
                self.grow(j + next, hi, next, step, idx, stack);
                stack.pop();
            }
            let next = self.nodes.len() as u32;
            self.nodes[idx as usize].next = next;
        }
    }

    /// Number of candidate sets in the tree (all k >= 1).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Joinpoint observation indices of node `i`.
    fn joins_of(&self, mut i: u32) -> Vec<usize> {
        let mut out = Vec::new();
        while i != u32::MAX {
            out.push(self.nodes[i as usize].j as usize);
            i = self.nodes[i as usize].parent;
        }
        out.reverse();
        out
    }

    /// Minimum weighted SSE of every k = 0..=`kneed` (<= K) for response `z` (unscaled).
    /// Ties go to the first set in lexicographic order.
    pub fn search(&self, z: &[f64], kneed: usize) -> Best {
        let mut sc = Scratch::default();
        self.scan(z, kneed, &mut sc);
        let joins = sc
            .best_node
            .iter()
            .map(|&b| {
                if b == u32::MAX {
                    Vec::new()
                } else {
                    self.joins_of(b)
                }
            })
            .collect();
        Best {
            sse: sc.best_sse,
            joins,
        }
    }

    /// The minimum SSE of every k = 0..=`kneed`, as [`JoinGrid::search`] gives them, without
    /// the joinpoint sets and without allocating once `sc` has grown: what a permutation or
    /// resampling replicate needs, called millions of times.
    pub fn search_sse<'s>(&self, z: &[f64], kneed: usize, sc: &'s mut Scratch) -> &'s [f64] {
        self.scan(z, kneed, sc);
        &sc.best_sse
    }

    /// [`JoinGrid::search_sse`] for [`LANES`] responses at once (`zs[l]` is response `l`): the
    /// tree is walked once and each node's arithmetic done for every lane, so the node data
    /// are read once for several permutation replicates. Every lane goes through the same
    /// operations in the same order as `search_sse`, so its minima are the same numbers.
    pub fn search_sse_lanes<'s>(
        &self,
        zs: [&[f64]; LANES],
        kneed: usize,
        sc: &'s mut LaneScratch,
    ) -> &'s [[f64; LANES]] {
        let n = self.n;
        let kneed = kneed.min(self.kmax);
        let y = &mut sc.y;
        y.clear();
        y.extend((0..n).map(|i| std::array::from_fn(|l| self.sw[i] * zs[l][i])));
        for q in &self.root {
            let d: [f64; LANES] = std::array::from_fn(|l| (0..n).map(|i| q[i] * y[i][l]).sum());
            for i in 0..n {
                for l in 0..LANES {
                    y[i][l] -= d[l] * q[i];
                }
            }
        }
        let yy: [f64; LANES] = std::array::from_fn(|l| (0..n).map(|i| y[i][l] * y[i][l]).sum());
        let (s1, s2) = (&mut sc.s1, &mut sc.s2);
        s1.clear();
        s1.resize(n, [0.0; LANES]);
        s2.clear();
        s2.resize(n, [0.0; LANES]);
        for j in (0..n.saturating_sub(1)).rev() {
            for l in 0..LANES {
                let v = self.sw[j + 1] * y[j + 1][l];
                s1[j][l] = s1[j + 1][l] + v;
                s2[j][l] = s2[j + 1][l] + v * self.tc[j + 1];
            }
        }
        let best = &mut sc.best;
        best.clear();
        best.resize(kneed + 1, [f64::INFINITY; LANES]);
        best[0] = yy.map(|v| v.max(0.0));
        let tol: [f64; LANES] = yy.map(|v| 1e-12 * v.abs().max(1e-300));
        let mut pv = [[0.0f64; LANES]; MAX_JOINS];
        let mut cum = [[0.0f64; LANES]; MAX_JOINS + 1];
        let mut i = 0usize;
        let nodes = &self.nodes;
        while i < nodes.len() {
            let nd = &nodes[i];
            let d = nd.depth as usize;
            if d > kneed || nd.inv_norm == 0.0 {
                i = nd.next as usize;
                continue;
            }
            let j = nd.j as usize;
            let tj = self.tc[j];
            let mut x: [f64; LANES] = std::array::from_fn(|l| s2[j][l] - tj * s1[j][l]);
            let c = &self.coefs[nd.coef as usize..nd.coef as usize + d - 1];
            for a in 0..d - 1 {
                for l in 0..LANES {
                    x[l] -= c[a] * pv[a][l];
                }
            }
            let inv = nd.inv_norm;
            let p: [f64; LANES] = std::array::from_fn(|l| x[l] * inv);
            pv[d - 1] = p;
            let before = cum[d - 1];
            let now: [f64; LANES] = std::array::from_fn(|l| before[l] + p[l] * p[l]);
            cum[d] = now;
            let bd = &mut best[d];
            for l in 0..LANES {
                let sse = (yy[l] - now[l]).max(0.0);
                // branch-free, so the lanes stay in vector registers
                bd[l] = if sse < bd[l] - tol[l] { sse } else { bd[l] };
            }
            i += 1;
        }
        best
    }

    /// The pre-order walk of the tree behind `search` and `search_sse`: fills `sc.best_sse` and
    /// `sc.best_node` (k = 0..=kneed).
    /// The start of every walk: the scaled response `y` with the fixed columns projected out,
    /// and the suffix sums over i > j of sqrt(w_i) y_i (`s1`) and sqrt(w_i) tc_i y_i (`s2`).
    /// Returns the residual sum of squares y'y.
    fn residual_sums(
        &self,
        z: &[f64],
        y: &mut Vec<f64>,
        s1: &mut Vec<f64>,
        s2: &mut Vec<f64>,
    ) -> f64 {
        let n = self.n;
        y.clear();
        y.extend((0..n).map(|i| self.sw[i] * z[i]));
        for q in &self.root {
            let d = dot(q, y);
            for i in 0..n {
                y[i] -= d * q[i];
            }
        }
        let yy = dot(y, y);
        s1.clear();
        s1.resize(n, 0.0);
        s2.clear();
        s2.resize(n, 0.0);
        for j in (0..n.saturating_sub(1)).rev() {
            let v = self.sw[j + 1] * y[j + 1];
            s1[j] = s1[j + 1] + v;
            s2[j] = s2[j + 1] + v * self.tc[j + 1];
        }
        yy
    }

    fn scan(&self, z: &[f64], kneed: usize, sc: &mut Scratch) {
        let kneed = kneed.min(self.kmax);
        let yy = self.residual_sums(z, &mut sc.y, &mut sc.s1, &mut sc.s2);
        let (s1, s2) = (&sc.s1, &sc.s2);
        let (best_sse, best_node) = (&mut sc.best_sse, &mut sc.best_node);
        best_sse.clear();
        best_sse.resize(kneed + 1, f64::INFINITY);
        best_node.clear();
        best_node.resize(kneed + 1, u32::MAX);
        best_sse[0] = yy.max(0.0);
        let tol = 1e-12 * yy.abs().max(1e-300);
        let mut pv = [0.0f64; MAX_JOINS];
        let mut cum = [0.0f64; MAX_JOINS + 1];
        let mut i = 0usize;
        let nodes = &self.nodes;
        while i < nodes.len() {
            let nd = &nodes[i];
            let d = nd.depth as usize;
            if d > kneed || nd.inv_norm == 0.0 {
                i = nd.next as usize;
                continue;
            }
            let j = nd.j as usize;
            let mut x = s2[j] - self.tc[j] * s1[j];
            let c = &self.coefs[nd.coef as usize..nd.coef as usize + d - 1];
            for a in 0..d - 1 {
                x -= c[a] * pv[a];
            }
            let p = x * nd.inv_norm;
            pv[d - 1] = p;
            cum[d] = cum[d - 1] + p * p;
            let sse = (yy - cum[d]).max(0.0);
            if sse < best_sse[d] - tol {
                best_sse[d] = sse;
                best_node[d] = i as u32;
            }
            i += 1;
        }
    }

    /// Minimum SSE over the sets with `k` joinpoints whose `m`-th joinpoint (0-based) is
    /// observation `at`, for every allowed `at` (profile used for joinpoint location intervals).
    /// Returns (observation index, SSE) pairs.
    pub fn profile(&self, z: &[f64], k: usize, m: usize) -> Vec<(usize, f64)> {
        let n = self.n;
        let (mut y, mut s1, mut s2) = (Vec::new(), Vec::new(), Vec::new());
        let yy = self.residual_sums(z, &mut y, &mut s1, &mut s2);
        let mut best = vec![f64::INFINITY; n];
        let mut pv = [0.0f64; MAX_JOINS];
        let mut cum = [0.0f64; MAX_JOINS + 1];
        let mut at = [0usize; MAX_JOINS];
        let mut i = 0usize;
        while i < self.nodes.len() {
            let nd = &self.nodes[i];
            let d = nd.depth as usize;
            if d > k || nd.inv_norm == 0.0 {
                i = nd.next as usize;
                continue;
            }
            let j = nd.j as usize;
            let mut x = s2[j] - self.tc[j] * s1[j];
            let c = &self.coefs[nd.coef as usize..nd.coef as usize + d - 1];
            for a in 0..d - 1 {
                x -= c[a] * pv[a];
            }
            let p = x * nd.inv_norm;
            pv[d - 1] = p;
            cum[d] = cum[d - 1] + p * p;
            at[d - 1] = j;
            if d == k {
                let sse = (yy - cum[d]).max(0.0);
                let x = at[m];
                if sse < best[x] {
                    best[x] = sse;
                }
            }
            i += 1;
        }
        best.iter()
            .enumerate()
            .filter(|(_, s)| s.is_finite())
            .map(|(i, s)| (i, *s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::trend::joinpoint::configurations;
    use crate::trend::linalg::wls;

    fn brute(t: &[f64], w: &[f64], z: &[f64], joins: &[usize], jump: Option<f64>) -> f64 {
        let n = t.len();
        let p = 2 + joins.len() + usize::from(jump.is_some());
        let mut x = vec![0.0; n * p];
        for i in 0..n {
            x[i * p] = 1.0;
            x[i * p + 1] = t[i];
            for (m, &j) in joins.iter().enumerate() {
                x[i * p + 2 + m] = (t[i] - t[j]).max(0.0);
            }
            if let Some(c) = jump {
                x[i * p + p - 1] = f64::from(u8::from(t[i] > c));
            }
        }
        let s = wls(&x, n, p, w, z).unwrap();
        (0..n)
            .map(|i| {
                let f: f64 = (0..p).map(|c| x[i * p + c] * s.beta[c]).sum();
                w[i] * (z[i] - f).powi(2)
            })
            .sum()
    }

    #[test]
    fn tree_search_equals_brute_force_weighted_with_jump() {
        let n = 17;
        let t: Vec<f64> = (0..n).map(|i| 1990.0 + i as f64).collect();
        let w: Vec<f64> = (0..n).map(|i| 1.0 + ((i * 7) % 5) as f64).collect();
        let z: Vec<f64> = (0..n)
            .map(|i| ((i * i * 13 + 5) % 11) as f64 * 0.1 + 0.05 * i as f64)
            .collect();
        for jump in [None, Some(1998.5)] {
            let fixed: Vec<Vec<f64>> = jump
                .iter()
                .map(|&c| t.iter().map(|&v| f64::from(u8::from(v > c))).collect())
                .collect();
            let g = JoinGrid::new(&t, &w, &fixed, 3, 2, 2).unwrap();
            let b = g.search(&z, 3);
            for k in 0..=3 {
                let mut want = f64::INFINITY;
                let mut wj = Vec::new();
                for c in configurations(n, k, 2, 2) {
                    let s = brute(&t, &w, &z, &c, jump);
                    if s < want - 1e-9 {
                        want = s;
                        wj = c;
                    }
                }
                assert!((b.sse[k] - want).abs() < 1e-8 * want.max(1.0), "k={k}");
                assert_eq!(b.joins[k], wj, "k={k}");
            }
            // four responses at once give each one's own minima, to the last bit
            let zs: Vec<Vec<f64>> = (0..LANES)
                .map(|l| {
                    z.iter()
                        .enumerate()
                        .map(|(i, v)| v + 0.03 * ((i * (l + 2)) % 7) as f64)
                        .collect()
                })
                .collect();
            let mut lanes = LaneScratch::default();
            let got = g
                .search_sse_lanes(std::array::from_fn(|l| zs[l].as_slice()), 3, &mut lanes)
                .to_vec();
            for l in 0..LANES {
                let one = g.search(&zs[l], 3);
                for k in 0..=3 {
                    assert_eq!(got[k][l].to_bits(), one.sse[k].to_bits(), "lane {l} k={k}");
                }
            }
            // profile of the first joinpoint of k = 2 at its best place is the k = 2 minimum
            let prof = g.profile(&z, 2, 0);
            let at = b.joins[2][0];
            let v = prof.iter().find(|(i, _)| *i == at).unwrap().1;
            assert!((v - b.sse[2]).abs() < 1e-8 * v.max(1.0));
        }
        assert_eq!(
            count_sets(n, 3, 2, 2) as usize,
            1 + {
                let g = JoinGrid::new(&t, &w, &[], 3, 2, 2).unwrap();
                g.len()
            }
        );
    }
}

/// Tests written for issue 18 (item 3: no constant change can make the core panic).
#[cfg(test)]
mod mutant_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A grid deeper than [`MAX_JOINS`] is refused (`None`), so the searches' depth-indexed
    /// arrays, sized from the same constant, are never overrun; up to it the grid is built.
    #[test]
    fn grid_refuses_more_than_max_joins() {
        let t: Vec<f64> = (0..30).map(f64::from).collect();
        let w = vec![1.0; 30];
        assert!(JoinGrid::new(&t, &w, &[], MAX_JOINS + 1, 2, 2).is_none());
        assert!(JoinGrid::new(&t, &w, &[], usize::MAX, 2, 2).is_none());
        let g = JoinGrid::new(&t, &w, &[], 3, 2, 2).unwrap();
        // 30 points, min_end 2, min_between 2: joinpoints on observations 2..=27, at least 3
        // apart; counted by brute force, `sum(1 for c in itertools.combinations(range(2, 28), k)
        // if all(b - a >= 3 for a, b in zip(c, c[1:])))` = 26, 276 and 1540 for k = 1, 2, 3
        assert_eq!(g.len(), 26 + 276 + 1540);
        assert_eq!(count_sets(30, 3, 2, 2), 1.0 + 26.0 + 276.0 + 1540.0);
    }
}
