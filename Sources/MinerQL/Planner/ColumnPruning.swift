// Drops the columns no operator above reads, as close to the scans as it can:
// a scan reads only the columns the query uses, and filters, joins and sorts
// carry only those. Without this `SELECT sum(volume) … WHERE close > 50` would
// copy every column of every kept row, strings included.

enum ColumnPruning {
    static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        keepingAll(plan)
    }

    /// `plan` with its inputs pruned and its own output unchanged.
    private static func keepingAll(_ plan: LogicalPlan) -> LogicalPlan {
        prune(plan, needed: Set(plan.types.indices)).plan
    }

    /// A plan computing at least the `needed` columns of `plan`'s output;
    /// `columns` names, in order, which of the original columns it returns
    /// (ascending, a superset of `needed`).
    private static func prune(_ plan: LogicalPlan, needed: Set<Int>) -> (plan: LogicalPlan, columns: [Int]) {
        let unchanged = Array(plan.types.indices)
        switch plan {
        case .scan, .inline:
            guard needed.count < unchanged.count else { return (plan, unchanged) }
            let types = plan.types
            let kept = needed.sorted()
            return (.project(plan, kept.map { .column($0, types[$0]) }), kept)
        case .values, .series, .workingTable, .cte:
            return (plan, unchanged)
        case .filter(let input, let condition):
            let (newInput, columns) = prune(input, needed: needed.union(condition.referencedColumns))
            return (.filter(newInput, condition.renumbered(keeping: columns)), columns)
        case .project(let input, let expressions):
            let kept = needed.sorted()
            var read = Set<Int>()
            for index in kept { read.formUnion(expressions[index].referencedColumns) }
            let (newInput, columns) = prune(input, needed: read)
            let picked = kept.map { expressions[$0].renumbered(keeping: columns) }
            // A projection of a projection is one projection, when either only picks columns.
            if case .project(let inner, let innerExpressions) = newInput {
                if picked.allSatisfy(\.isColumn) {
                    return (.project(inner, picked.map { if case .column(let i, _) = $0 { innerExpressions[i] } else { $0 } }), kept)
                }
                if innerExpressions.allSatisfy(\.isColumn) {
                    return (.project(inner, picked.map { $0.mapColumns { i, _ in innerExpressions[i] } }), kept)
                }
            }
            return (.project(newInput, picked), kept)
        case .aggregate(let input, let groups, let aggregates):
            var read = Set<Int>()
            for group in groups { read.formUnion(group.referencedColumns) }
            for aggregate in aggregates { read.formUnion(aggregate.referencedColumns) }
            let (newInput, columns) = prune(input, needed: read)
            return (.aggregate(newInput, groups: groups.map { $0.renumbered(keeping: columns) },
                               aggregates: aggregates.map { $0.mappingColumns { $0.renumbered(keeping: columns) } }), unchanged)
        case .join(let left, let right, let kind, let condition):
            let width = left.types.count
            let read = needed.union(condition?.referencedColumns ?? [])
            let (newLeft, leftColumns) = prune(left, needed: read.filter { $0 < width })
            let (newRight, rightColumns) = prune(right, needed: Set(read.filter { $0 >= width }.map { $0 - width }))
            let columns = leftColumns + rightColumns.map { $0 + width }
            return (.join(newLeft, newRight, kind, condition: condition.map { $0.renumbered(keeping: columns) }), columns)
        case .asofJoin(var join):
            let width = join.left.types.count
            var leftRead = needed.filter { $0 < width }
            var rightRead = Set(needed.filter { $0 >= width }.map { $0 - width })
            for e in join.leftKeys + [join.leftValue] { leftRead.formUnion(e.referencedColumns) }
            for e in join.rightKeys + [join.rightValue] { rightRead.formUnion(e.referencedColumns) }
            let (newLeft, leftColumns) = prune(join.left, needed: leftRead)
            let (newRight, rightColumns) = prune(join.right, needed: rightRead)
            join.left = newLeft
            join.right = newRight
            join.leftKeys = join.leftKeys.map { $0.renumbered(keeping: leftColumns) }
            join.leftValue = join.leftValue.renumbered(keeping: leftColumns)
            join.rightKeys = join.rightKeys.map { $0.renumbered(keeping: rightColumns) }
            join.rightValue = join.rightValue.renumbered(keeping: rightColumns)
            return (.asofJoin(join), leftColumns + rightColumns.map { $0 + width })
        case .sort(let input, let keys):
            var read = needed
            for key in keys { read.formUnion(key.expression.referencedColumns) }
            let (newInput, columns) = prune(input, needed: read)
            return (.sort(newInput, keys.map { $0.mappingColumns { $0.renumbered(keeping: columns) } }), columns)
        case .limit(let input, let limit, let offset):
            let (newInput, columns) = prune(input, needed: needed)
            return (.limit(newInput, limit: limit, offset: offset), columns)
        case .window(let input, let windows):
            let width = input.types.count
            var read = needed.filter { $0 < width }
            for window in windows { read.formUnion(window.referencedColumns) }
            let (newInput, columns) = prune(input, needed: read)
            return (.window(newInput, windows.map { $0.mappingColumns { $0.renumbered(keeping: columns) } }),
                    columns + Array(width..<width + windows.count))
        case .distinct(let input):
            return (.distinct(keepingAll(input)), unchanged)
        case .setOperation(let op, let all, let left, let right):
            return (.setOperation(op, all: all, keepingAll(left), keepingAll(right)), unchanged)
        case .recursiveCTE(let id, let anchor, let step, let all):
            return (.recursiveCTE(id: id, anchor: keepingAll(anchor), step: keepingAll(step), all: all), unchanged)
        }
    }
}

/// Parts of a plan node that hold expressions over the node's input.
protocol HoldsExpressions {
    /// The part with `transform` applied to each expression it holds.
    func mappingColumns(_ transform: (BoundExpr) -> BoundExpr) -> Self
}

extension HoldsExpressions {
    /// Every input column the part reads.
    var referencedColumns: Set<Int> {
        var result = Set<Int>()
        _ = mappingColumns { e in
            result.formUnion(e.referencedColumns)
            return e
        }
        return result
    }
}

extension BoundOrder: HoldsExpressions {
    func mappingColumns(_ transform: (BoundExpr) -> BoundExpr) -> BoundOrder {
        var copy = self
        copy.expression = transform(expression)
        return copy
    }
}

extension BoundAggregate: HoldsExpressions {
    func mappingColumns(_ transform: (BoundExpr) -> BoundExpr) -> BoundAggregate {
        var copy = self
        copy.argument = argument.map(transform)
        copy.secondArgument = secondArgument.map(transform)
        copy.filter = filter.map(transform)
        copy.orderBy = orderBy.map { $0.mappingColumns(transform) }
        return copy
    }
}

extension BoundWindow: HoldsExpressions {
    func mappingColumns(_ transform: (BoundExpr) -> BoundExpr) -> BoundWindow {
        var copy = self
        if case .aggregate(let aggregate) = function { copy.function = .aggregate(aggregate.mappingColumns(transform)) }
        copy.arguments = arguments.map(transform)
        copy.partitionBy = partitionBy.map(transform)
        copy.orderBy = orderBy.map { $0.mappingColumns(transform) }
        return copy
    }
}
