// Turns a bound expression into a tree of vector kernels, once per query. A kernel
// takes a chunk and returns a vector of the expression's value for every row:
// the type dispatch happens here, at compile time, and the loops inside kernels
// are plain typed loops over arrays.

/// A compiled expression: one call per chunk.
typealias Kernel = (DataChunk) throws -> Vector

struct ExpressionCompiler {
    let context: ExecutionContext

    func compile(_ expr: BoundExpr) throws -> Kernel {
        switch expr {
        case .column(let index, _):
            return { chunk in chunk.columns[index] }
        case .constant(let value, let type):
            return { chunk in Vector.constant(value, type: type, count: chunk.count) }
        case .outerParameter(let slot, let type):
            let context = self.context
            return { chunk in
                let value = context.parameterFrames.last.map { $0[slot] } ?? .null
                return Vector.constant(value, type: type, count: chunk.count)
            }
        case .cast(let inner, let type, let position):
            let input = try compile(inner)
            return { chunk in try Cast.vector(try input(chunk), to: type, at: position) }
        case .negate(let inner, let position):
            let input = try compile(inner)
            return { chunk in try Arithmetic.negate(try input(chunk), at: position) }
        case .not(let inner):
            let input = try compile(inner)
            return { chunk in Logic.not(try input(chunk)) }
        case .and(let a, let b):
            let left = try compile(a), right = try compile(b)
            return { chunk in Logic.and(try left(chunk), try right(chunk)) }
        case .or(let a, let b):
            let left = try compile(a), right = try compile(b)
            return { chunk in Logic.or(try left(chunk), try right(chunk)) }
        case .isNull(let inner, let negated):
            let input = try compile(inner)
            return { chunk in
                let vector = try input(chunk)
                var output = [Bool](repeating: false, count: chunk.count)
                for row in 0..<chunk.count { output[row] = vector.isNull(row) != negated }
                return Vector(.boolean(output))
            }
        case .comparison(let op, let a, let b):
            let left = try compile(a), right = try compile(b)
            return { chunk in Comparison.compare(op, try left(chunk), try right(chunk)) }
        case .isDistinctFrom(let a, let b, let negated):
            let left = try compile(a), right = try compile(b)
            return { chunk in Comparison.distinct(try left(chunk), try right(chunk), negated: negated) }
        case .arithmetic(let op, let a, let b, let type, let position):
            let left = try compile(a), right = try compile(b)
            let settings = context.settings
            return { chunk in
                try Arithmetic.apply(op, try left(chunk), try right(chunk), type: type, settings: settings, at: position)
            }
        case .inList(let probe, let list, let negated):
            // x IN (a, b) ≡ x = a OR x = b, which gives SQL's NULL rules for free;
            // folded in a loop so a list of any length needs no deep recursion.
            let value = try compile(probe)
            let elements = try list.map(compile)
            return { chunk in
                let probed = try value(chunk)
                var result = Vector.constant(.boolean(false), type: .boolean, count: chunk.count)
                for element in elements { result = Logic.or(result, Comparison.compare(.equal, probed, try element(chunk))) }
                return negated ? Logic.not(result) : result
            }
        case .like(let value, let pattern, let caseInsensitive, let negated):
            let input = try compile(value), patterns = try compile(pattern)
            return { chunk in
                try LikeMatcher.match(try input(chunk), try patterns(chunk), caseInsensitive: caseInsensitive, negated: negated)
            }
        case .caseWhen(let branches, let otherwise, let type):
            return try compileCase(branches, otherwise, type)
        case .function(let function, let arguments, let position):
            let kernels = try arguments.map(compile)
            let call = FunctionContext(settings: context.settings, position: position)
            return { chunk in try function.kernel(try kernels.map { try $0(chunk) }, chunk.count, call) }
        case .subquery(let subquery):
            return try SubqueryEvaluator(subquery, compiler: self).kernel()
        }
    }

    /// CASE evaluates each result only on the rows that reach it, so a branch
    /// guarded by its condition (`WHEN b <> 0 THEN a // b`) never fails.
    private func compileCase(_ branches: [BoundCaseBranch], _ otherwise: BoundExpr, _ type: DataType) throws -> Kernel {
        let conditions = try branches.map { try compile($0.condition) }
        let results = try branches.map { try compile($0.result) }
        let fallback = try compile(otherwise)
        return { chunk in
            var remaining = Array(0..<chunk.count)
            var pieces: [(rows: [Int], values: Vector)] = []
            var current = chunk
            for (condition, result) in zip(conditions, results) where !remaining.isEmpty {
                let test = try condition(current)
                var taken: [Int] = [], takenLocal: [Int] = [], rest: [Int] = [], restLocal: [Int] = []
                let flags = Logic.trueRows(test)
                for (local, row) in remaining.enumerated() {
                    if flags[local] {
                        taken.append(row)
                        takenLocal.append(local)
                    } else {
                        rest.append(row)
                        restLocal.append(local)
                    }
                }
                if !taken.isEmpty {
                    pieces.append((taken, try result(current.gathered(takenLocal))))
                }
                current = current.gathered(restLocal)
                remaining = rest
            }
            if !remaining.isEmpty { pieces.append((remaining, try fallback(current))) }
            return Vector.scattered(pieces, type: type, count: chunk.count)
        }
    }
}

extension Vector {
    /// A vector of `count` rows assembled from pieces that each fill the given rows.
    static func scattered(_ pieces: [(rows: [Int], values: Vector)], type: DataType, count: Int) -> Vector {
        if pieces.count == 1, pieces[0].rows.count == count, pieces[0].values.type == type { return pieces[0].values }
        var source = [(piece: Int, row: Int)](repeating: (-1, 0), count: count)
        for (p, piece) in pieces.enumerated() {
            for (local, row) in piece.rows.enumerated() { source[row] = (p, local) }
        }
        var builder = VectorBuilder(type, capacity: count)
        for (piece, row) in source {
            if piece < 0 { builder.appendNull() } else { builder.append(pieces[piece].values.value(at: row)) }
        }
        return builder.build()
    }
}
