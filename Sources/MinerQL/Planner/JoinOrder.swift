// Orders a tree of inner and comma joins so each relation joins one it shares
// a condition with: `FROM t1, t2, t3 WHERE t1.a = t3.b AND t3.c = t2.d` joins t1
// with t3 first, never building t1 × t2. The relations keep their plans; only
// the join order changes, and a projection restores the original column order.

enum JoinOrder {
    /// The leaves and conditions of a maximal inner/cross join tree, with each
    /// leaf's first column in the tree's output.
    private struct Flattened {
        var leaves: [(plan: LogicalPlan, offset: Int)] = []
        var conjuncts: [BoundExpr] = []
    }

    private static func flatten(_ plan: LogicalPlan, offset: Int, into flat: inout Flattened) {
        if case .join(let left, let right, let kind, let condition) = plan, kind == .inner || kind == .cross {
            flatten(left, offset: offset, into: &flat)
            flatten(right, offset: offset + left.types.count, into: &flat)
            if let condition { flat.conjuncts += JoinKeys.conjuncts(condition.shiftingColumns(by: offset)) }
        } else {
            flat.leaves.append((plan, offset))
        }
    }

    /// The join tree reordered, with `conjuncts` (over the tree's columns) as
    /// its conditions; nil if there is nothing to reorder.
    static func reorder(_ plan: LogicalPlan, conjuncts extra: [BoundExpr],
                        optimizeLeaf: (LogicalPlan) -> LogicalPlan,
                        push: ([BoundExpr], LogicalPlan) -> LogicalPlan) -> LogicalPlan? {
        var flat = Flattened()
        flatten(plan, offset: 0, into: &flat)
        guard flat.leaves.count > 2 else { return nil }
        let conjuncts = flat.conjuncts + extra
        let widths = flat.leaves.map { $0.plan.types.count }
        func leaf(of column: Int) -> Int {
            flat.leaves.lastIndex { $0.offset <= column } ?? 0
        }
        let leavesOf = conjuncts.map { Set($0.referencedColumns.map(leaf(of:))) }
        // Greedy: keep adding the first relation that a condition links to the joined set.
        var order = [0]
        var remaining = Array(1..<flat.leaves.count)
        while !remaining.isEmpty {
            let joined = Set(order)
            let next = remaining.firstIndex { candidate in
                leavesOf.contains { $0.contains(candidate) && $0.count > 1 && $0.subtracting([candidate]).isSubset(of: joined) }
            } ?? 0
            order.append(remaining.remove(at: next))
        }
        guard order != Array(0..<flat.leaves.count) else { return nil }
        // Old column → new column.
        var newIndex = [Int](repeating: 0, count: widths.reduce(0, +))
        var position = 0
        for l in order {
            for c in 0..<widths[l] { newIndex[flat.leaves[l].offset + c] = position + c }
            position += widths[l]
        }
        var tree = optimizeLeaf(flat.leaves[order[0]].plan)
        for l in order.dropFirst() { tree = .join(tree, optimizeLeaf(flat.leaves[l].plan), .cross, condition: nil) }
        let moved = conjuncts.map { $0.mapColumns { .column(newIndex[$0], $1) } }
        let types = plan.types
        return .project(push(moved, tree), types.indices.map { .column(newIndex[$0], types[$0]) })
    }
}
