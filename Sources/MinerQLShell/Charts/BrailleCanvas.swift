// A grid of braille characters used as a bitmap: each character cell holds
// 2 × 4 dots, so a 70 × 16 cell plot has 140 × 64 points. Each cell remembers
// the first series that drew in it, for its colour.

struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var bits: [UInt8]
    private var owners: [Int]

    init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        owners = [Int](repeating: -1, count: self.columns * self.rows)
    }

    var dotColumns: Int { columns * 2 }
    var dotRows: Int { rows * 4 }

    /// The bit of each dot in a cell, by its column (0, 1) and row (0 … 3).
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), y counted from the top; outside points are ignored.
    mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        let cell = (y / 4) * columns + x / 2
        bits[cell] |= BrailleCanvas.dotBits[x % 2][y % 4]
        if owners[cell] < 0 { owners[cell] = series }
    }

    /// Sets the dots of a straight line between two points (Bresenham).
    mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), series: Int) {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x, y, series: series)
            if x == end.x && y == end.y { return }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += sx
            }
            if doubled <= dx {
                error += dx
                y += sy
            }
        }
    }

    /// The characters of one row of cells, each run of one series' cells
    /// painted in its colour.
    func row(_ row: Int, palette: Palette) -> String {
        var out = ""
        var run = ""
        var runOwner = -1
        for column in 0..<columns {
            let cell = row * columns + column
            let owner = bits[cell] == 0 ? -1 : owners[cell]
            if owner != runOwner {
                out += runOwner < 0 ? run : palette.paint(run, .series(runOwner))
                run = ""
                runOwner = owner
            }
            run += bits[cell] == 0 ? " " : Unicode.Scalar(0x2800 + UInt32(bits[cell])).map { String(Character($0)) } ?? " "
        }
        return out + (runOwner < 0 ? run : palette.paint(run, .series(runOwner)))
    }
}
