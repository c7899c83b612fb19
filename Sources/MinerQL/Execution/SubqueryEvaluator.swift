// Evaluates a subquery used as an expression. An uncorrelated subquery runs once
// per query; a correlated one runs once per distinct combination of the outer
// values it reads, cached, so repeated outer keys cost a lookup, not a re-run.

final class SubqueryEvaluator {
    private let subquery: BoundSubquery
    /// The subquery's plan, optimized once for all its runs.
    private let plan: LogicalPlan
    private let context: ExecutionContext
    private let correlations: [Kernel]
    private let probe: Kernel?
    /// Subquery results keyed by the outer values they were computed for.
    private var cache: [[Value]: SubqueryResult] = [:]

    /// What a subquery run yields, reduced to what its kind needs.
    private enum SubqueryResult {
        case scalar(Value)
        case exists(Bool)
        /// The distinct non-NULL values of the column, and whether a NULL occurred.
        case set(Set<Value>, hasNull: Bool)
    }

    init(_ subquery: BoundSubquery, compiler: ExpressionCompiler) throws {
        self.subquery = subquery
        self.plan = subquery.plan.optimized
        self.context = compiler.context
        self.correlations = try subquery.correlations.map(compiler.compile)
        self.probe = try subquery.probe.map(compiler.compile)
    }

    func kernel() -> Kernel {
        { [self] chunk in try evaluate(chunk) }
    }

    private func evaluate(_ chunk: DataChunk) throws -> Vector {
        let outer = try correlations.map { try $0(chunk) }
        let probeValues = try probe?(chunk)
        var builder = VectorBuilder(subquery.type, capacity: chunk.count)
        for row in 0..<chunk.count {
            let key = outer.map { $0.value(at: row) }
            let result: SubqueryResult
            if let cached = cache[key] {
                result = cached
            } else {
                result = try run(with: key)
                cache[key] = result
            }
            switch result {
            case .scalar(let value): builder.append(value)
            case .exists(let found): builder.append(.boolean(found))
            case .set(let values, let hasNull):
                guard case .inList(let negated) = subquery.kind, let probeValues else { builder.appendNull(); continue }
                let probe = probeValues.value(at: row)
                if probe.isNull {
                    builder.append(values.isEmpty && !hasNull ? .boolean(negated) : .null)
                } else if values.contains(probe) {
                    builder.append(.boolean(!negated))
                } else if hasNull {
                    builder.appendNull()
                } else {
                    builder.append(.boolean(negated))
                }
            }
        }
        return builder.build()
    }

    private func run(with parameters: [Value]) throws -> SubqueryResult {
        context.parameterFrames.append(parameters)
        defer { context.parameterFrames.removeLast() }
        let chunks = try context.run(plan)
        switch subquery.kind {
        case .exists:
            return .exists(chunks.contains { $0.count > 0 })
        case .scalar:
            let rows = chunks.reduce(0) { $0 + $1.count }
            if rows > 1 && context.settings.scalarSubqueryErrorOnMultipleRows {
                throw MinerQLError(.invalidInput, "More than one row returned by a subquery used as an expression - scalar subqueries can only return a single row.\n\nUse \"SET scalar_subquery_error_on_multiple_rows=false\" to revert to previous behavior of returning a random row.", at: subquery.position)
            }
            return .scalar(chunks.first.map { $0.columns[0].value(at: 0) } ?? .null)
        case .inList:
            var values = Set<Value>()
            var hasNull = false
            for chunk in chunks {
                for row in 0..<chunk.count {
                    let value = chunk.columns[0].value(at: row)
                    if value.isNull { hasNull = true } else { values.insert(value) }
                }
            }
            return .set(values, hasNull: hasNull)
        }
    }
}
