// Parses the data rows of a CSV file into typed columns. The file is cut at
// line breaks into one part per core, each part is read a window at a time and
// parsed on its own thread into its own column builders, and the parts are
// joined in order: the file is never held whole. A cut is a record boundary
// unless a quoted field spans it, which the part before it notices (it sees a
// quoted field): then the file is parsed again as one part. Values are parsed
// from bytes; only unusual shapes become Strings first.
import Dispatch
import Glibc

struct CSVColumns {
    let schema: [ColumnSchema]
    let delimiter: UInt8
    let name: String
    let options: CSVOptions
    let progress: QueryProgress?
    /// Polled every few thousand records (Ctrl-C).
    let cancellation: Cancellation?
    /// Average bytes per record in the sniffed sample, to size the columns once.
    let bytesPerRecord: Int
    /// Bytes read at a time by each part (more when one record is longer).
    let windowBytes: Int

    /// Parts smaller than this are not worth a thread.
    static let minimumPartBytes = 1 << 20

    /// The result slots, handed to the worker threads: each writes its own.
    private struct SharedParts: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<Part>
    }

    /// What one part produced.
    private struct Part {
        var builders: [VectorBuilder] = []
        var skipped = 0
        var error: Error?
        /// Whether a field of the part was quoted (a quoted line break may
        /// then have been taken for a record's end by the next part's cut).
        var sawQuotes = false
    }

    /// The columns of every record from byte `start` on, and how many rows
    /// ignore_errors skipped. `quotesAhead` is whether the bytes read so far
    /// hold a quote character: then the file is read as one part.
    func read(_ source: ByteSource, from start: Int, firstLine: Int, quotesAhead: Bool) throws -> ([Vector], Int) {
        var ranges = quotesAhead ? [start..<source.count] : try parts(source, from: start)
        var results = try parse(source, ranges, firstLine: firstLine)
        if ranges.count > 1 && results.dropLast().contains(where: \.sawQuotes) {
            ranges = [start..<source.count]
            progress?.expect(source.count - start)
            results = try parse(source, ranges, firstLine: firstLine)
        }
        if let failed = results.firstIndex(where: { $0.error != nil }), let error = results[failed].error {
            guard failed > 0 else { throw error }
            // A later part counted its lines from 1: parse it again from its
            // real first line, for the message.
            let line = firstLine + (try CSVColumns.lineFeeds(source, ranges[0].lowerBound..<ranges[failed].lowerBound))
            progress?.expect(ranges[failed].count)
            throw parse(source, ranges[failed], firstLine: line, sizedFor: 0).error ?? error
        }
        // The first part's columns were sized for the whole file: the others
        // are appended to them, a column per thread, each part's column
        // freed once copied.
        let skipped = results.reduce(0) { $0 + $1.skipped }
        // Each column's builders, part by part (the parts' own references dropped).
        var columns = schema.indices.map { i in results.map { $0.builders[i] } }
        results = []
        columns.withUnsafeMutableBufferPointer { columns in
            let shared = SharedBuffer(columns)
            DispatchQueue.concurrentPerform(iterations: shared.buffer.count) { i in
                var parts = shared.buffer[i]
                shared.buffer[i] = []
                var joined = parts[0]
                parts[0] = VectorBuilder(joined.type)
                for k in parts.indices.dropFirst() {
                    joined.append(parts[k].build())
                    parts[k] = VectorBuilder(joined.type)
                }
                shared.buffer[i] = [joined]
            }
        }
        return (columns.map { $0[0].build() }, skipped)
    }

    /// Each range parsed on its own thread.
    private func parse(_ source: ByteSource, _ ranges: [Range<Int>], firstLine: Int) throws -> [Part] {
        let results = UnsafeMutableBufferPointer<Part>.allocate(capacity: ranges.count)
        results.initialize(repeating: Part())
        defer {
            results.deinitialize()
            results.deallocate()
        }
        // Line numbers of later parts are only known once the earlier parts
        // are read; they are counted as the parts are parsed and added after.
        let total = ranges.last.map { $0.upperBound - (ranges.first?.lowerBound ?? 0) } ?? 0
        if ranges.count == 1 {
            results[0] = parse(source, ranges[0], firstLine: firstLine, sizedFor: total)
        } else {
            let shared = SharedParts(results: results)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                shared.results[k] = parse(source, ranges[k], firstLine: k == 0 ? firstLine : nil,
                                          sizedFor: k == 0 ? total : ranges[k].count)
            }
        }
        return Array(results)
    }

    /// Byte ranges cut at line breaks, one per core when the file is big
    /// enough, else one.
    private func parts(_ source: ByteSource, from start: Int) throws -> [Range<Int>] {
        let count = source.count - start
        let cores = min(Settings.cores, count / CSVColumns.minimumPartBytes)
        guard cores > 1 else { return [start..<source.count] }
        var ranges: [Range<Int>] = []
        var lower = start
        for k in 1..<cores {
            var target = start + count / cores * k
            // The first line break at or after the target ends the part.
            while target < source.count {
                let block = try source.bytes(target..<target + (64 << 10))
                if let newline = block.firstIndex(of: 10) {
                    target += newline + 1
                    break
                }
                target += block.count
            }
            guard target > lower, target < source.count else { continue }
            ranges.append(lower..<target)
            lower = target
        }
        ranges.append(lower..<source.count)
        return ranges
    }

    /// How many line feeds bytes `range` hold.
    static func lineFeeds(_ source: ByteSource, _ range: Range<Int>) throws -> Int {
        var count = 0
        var offset = range.lowerBound
        while offset < range.upperBound {
            let block = try source.bytes(offset..<min(range.upperBound, offset + (1 << 20)))
            if block.isEmpty { break }
            for byte in block where byte == 10 { count += 1 }
            offset += block.count
        }
        return count
    }

    /// Where the last whole record of `bytes` ends (0 if none does): after
    /// the last line feed outside quotes, given the bytes start a record.
    static func lastRecordEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let quote = UInt8(ascii: "\"")
        if memchr(base, Int32(quote), bytes.count) == nil {
            return bytes.lastIndex(of: 10).map { $0 + 1 } ?? 0
        }
        // A doubled quote inside a quoted field toggles twice: parity still holds.
        var inQuotes = false
        var end = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b == quote {
                inQuotes.toggle()
            } else if b == 10 && !inQuotes {
                end = i + 1
            }
        }
        return end
    }

    /// Parses the records of `range`, a window at a time, with columns sized
    /// for `sizedFor` bytes of records. Without `firstLine` (a later part, whose
    /// first line is not known yet) lines count from 1 within the part.
    private func parse(_ source: ByteSource, _ range: Range<Int>, firstLine: Int?, sizedFor: Int) -> Part {
        var part = Part()
        let estimate = sizedFor / max(1, bytesPerRecord) + 16
        part.builders = schema.map { VectorBuilder($0.type, capacity: estimate) }
        var fields: [CSVField] = []
        let width = schema.count
        var rows = 0
        var line = firstLine ?? 1
        var offset = range.lowerBound
        var window: [UInt8] = []
        var size = windowBytes
        do {
            while true {
                // The window: the unparsed rest of the last one, then new bytes.
                let wanted = min(range.upperBound, offset + size) - offset
                let fresh = wanted > 0 ? try source.bytes(offset..<offset + wanted) : []
                if window.isEmpty { window = fresh } else { window += fresh }
                offset += fresh.count
                // A file that shrank while being read ends where its bytes end.
                let atEnd = offset >= range.upperBound || fresh.count < wanted
                if window.isEmpty { break }
                let end = try window.withUnsafeBufferPointer { bytes in
                    let end = atEnd ? bytes.count : CSVColumns.lastRecordEnd(bytes)
                    var scanner = CSVScanner(bytes: bytes, delimiter: delimiter, name: name, range: 0..<end, firstLine: line)
                    while let recordLine = try scanner.next(into: &fields) {
                        guard fields.count == width else {
                            if options.ignoreErrors {
                                part.skipped += 1
                                continue
                            }
                            throw MinerQLError(.io, "\(name):\(recordLine): expected \(width) fields, found \(fields.count)")
                        }
                        var failed: Int?
                        for column in 0..<width {
                            if fields[column].quoted { part.sawQuotes = true }
                            if try !append(fields[column], to: &part.builders[column], scanner: scanner, line: recordLine) {
                                failed = column
                                break
                            }
                        }
                        if let failed {
                            if options.ignoreErrors {
                                for column in 0..<width { part.builders[column].truncate(to: rows) }
                                part.skipped += 1
                                continue
                            }
                            let text = scanner.text(fields[failed]) ?? ""
                            throw MinerQLError(.conversion, "\(name):\(recordLine): could not convert \"\(text)\" to \(schema[failed].type) in column \"\(schema[failed].name)\"")
                        }
                        rows += 1
                        if rows & 4095 == 0 { try cancellation?.check() }
                    }
                    line = scanner.line
                    return end
                }
                progress?.advance(end)
                window.removeFirst(end)
                if atEnd { break }
                // No whole record in the window: read more at once next time,
                // if the memory limit leaves room (a single line can be gigabytes).
                if end == 0 {
                    size *= 2
                    try cancellation?.check()
                    try cancellation?.checkMemory()
                }
            }
        } catch {
            part.error = error
        }
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
            guard field.end - field.start <= StringView.maximumCount else {
                throw MinerQLError(.io, "\(name):\(line): a field longer than 4 GiB")
            }
            guard scanner.appendText(field, to: &builder) else { throw MinerQLError(.io, "\(name):\(line): invalid UTF-8") }
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
