// Parses the data rows of a CSV file into typed columns. The bytes are cut at
// line breaks into one part per core (when no field is quoted, so a line break
// always ends a record), each part is parsed on its own thread into its own
// column builders, and the parts are joined in order. Values are parsed from
// bytes; only unusual shapes become Strings first.
import Dispatch
import Glibc

struct CSVColumns {
    let schema: [ColumnSchema]
    let delimiter: UInt8
    let name: String
    let options: CSVOptions
    let progress: QueryProgress?
    /// Average bytes per record in the sniffed sample, to size the columns once.
    let bytesPerRecord: Int

    /// Parts smaller than this are not worth a thread.
    static let minimumPartBytes = 1 << 20

    /// The input and the result slots, handed to the worker threads: each
    /// reads the bytes and writes its own slot only.
    private struct SharedParts: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
        let results: UnsafeMutableBufferPointer<Part>
    }

    /// What one part produced.
    private struct Part {
        var builders: [VectorBuilder] = []
        var skipped = 0
        var error: Error?
    }

    /// The columns of every record from `start` on, and how many rows
    /// ignore_errors skipped.
    func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, firstLine: Int) throws -> ([Vector], Int) {
        let ranges = parts(bytes, from: start)
        var firstLines = [firstLine]
        for range in ranges.dropLast() { firstLines.append(firstLines[firstLines.count - 1] + CSVColumns.lineBreaks(bytes, range)) }
        let lines = firstLines
        let results = UnsafeMutableBufferPointer<Part>.allocate(capacity: ranges.count)
        results.initialize(repeating: Part())
        defer {
            results.deinitialize()
            results.deallocate()
        }
        if ranges.count == 1 {
            results[0] = parse(bytes, ranges[0], firstLine: lines[0], sizedFor: ranges[0].count)
        } else {
            let shared = SharedParts(bytes: bytes, results: results)
            let total = bytes.count - start
            DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                shared.results[k] = parse(shared.bytes, ranges[k], firstLine: lines[k], sizedFor: k == 0 ? total : ranges[k].count)
            }
        }
        for part in results { if let error = part.error { throw error } }
        // The first part's columns were sized for the whole file: the others
        // are appended to them, each freed once copied.
        var joined = results[0].builders
        results[0].builders = []
        for k in 1..<results.count {
            for i in joined.indices {
                joined[i].append(results[k].builders[i].build())
                results[k].builders[i] = VectorBuilder(schema[i].type)
            }
        }
        return (joined.map { $0.build() }, results.reduce(0) { $0 + $1.skipped })
    }

    /// Byte ranges that each hold whole records: one per core when the data
    /// has no quote character and is big enough, else one.
    private func parts(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [Range<Int>] {
        let count = bytes.count - start
        let cores = min(Settings.cores, count / CSVColumns.minimumPartBytes)
        guard cores > 1, let base = bytes.baseAddress, memchr(base + start, Int32(UInt8(ascii: "\"")), count) == nil else {
            return [start..<bytes.count]
        }
        var ranges: [Range<Int>] = []
        var lower = start
        for k in 1..<cores {
            let target = start + count / cores * k
            guard target > lower, let found = memchr(base + target, 10, bytes.count - target) else { continue }
            let upper = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            ranges.append(lower..<upper)
            lower = upper
        }
        ranges.append(lower..<bytes.count)
        return ranges
    }

    /// How many line feeds `range` holds.
    private static func lineBreaks(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var position = range.lowerBound
        while position < range.upperBound, let found = memchr(base + position, 10, range.upperBound - position) {
            count += 1
            position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// Parses the records of `range`, with columns sized for `sizedFor` bytes of records.
    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, firstLine: Int, sizedFor: Int) -> Part {
        var part = Part()
        let estimate = sizedFor / max(1, bytesPerRecord) + 16
        part.builders = schema.map { VectorBuilder($0.type, capacity: estimate) }
        var scanner = CSVScanner(bytes: bytes, delimiter: delimiter, name: name, range: range, firstLine: firstLine)
        var fields: [CSVField] = []
        let width = schema.count
        var rows = 0
        var reported = range.lowerBound
        do {
            while let line = try scanner.next(into: &fields) {
                if let progress, scanner.position - reported >= 1 << 20 {
                    progress.advance(scanner.position - reported)
                    reported = scanner.position
                }
                guard fields.count == width else {
                    if options.ignoreErrors {
                        part.skipped += 1
                        continue
                    }
                    throw MinerQLError(.io, "\(name):\(line): expected \(width) fields, found \(fields.count)")
                }
                var failed: Int?
                for column in 0..<width where try !append(fields[column], to: &part.builders[column], scanner: scanner, line: line) {
                    failed = column
                    break
                }
                if let failed {
                    if options.ignoreErrors {
                        for column in 0..<width { part.builders[column].truncate(to: rows) }
                        part.skipped += 1
                        continue
                    }
                    let text = scanner.text(fields[failed]) ?? ""
                    throw MinerQLError(.conversion, "\(name):\(line): could not convert \"\(text)\" to \(schema[failed].type) in column \"\(schema[failed].name)\"")
                }
                rows += 1
            }
        } catch {
            part.error = error
        }
        progress?.advance(range.upperBound - reported)
        return part
    }

    /// Appends one field's value; false if it does not parse as the column's type.
    @inline(__always)
    private func append(_ field: CSVField, to builder: inout VectorBuilder, scanner: CSVScanner, line: Int) throws -> Bool {
        if field.isNull {
            builder.appendNull()
            return true
        }
        let bytes = scanner.bytes
        switch builder.type {
        case .bigint:
            if let value = CSVFastParse.integer(bytes, field.start, field.end) {
                builder.appendInteger(value)
                return true
            }
        case .double:
            if let value = CSVFastParse.double(bytes, field.start, field.end) {
                builder.appendDouble(value)
                return true
            }
        case .date where options.dateFormat == nil:
            if let value = CSVFastParse.date(bytes, field.start, field.end) {
                builder.appendDate(value)
                return true
            }
        case .varchar:
            guard let text = scanner.text(field) else { throw MinerQLError(.io, "\(name):\(line): invalid UTF-8") }
            builder.appendString(text)
            return true
        default:
            break
        }
        guard let text = scanner.text(field) else { throw MinerQLError(.io, "\(name):\(line): invalid UTF-8") }
        guard let value = CSVReader.parse(text, as: builder.type, dateFormat: options.dateFormat) else { return false }
        builder.append(value)
        return true
    }
}
