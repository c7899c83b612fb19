// `.chart KIND COLUMNS… [--svg FILE] [--title TEXT]`: draws the previous
// result in the terminal (sized to it; 80 × 24 when results go elsewhere), or
// writes it as an SVG file, whole or not at all.
import MinerQL

extension Shell {
    static let chartUsage = "Usage: .chart line X Y [Y2 …] | bar LABEL VALUE | scatter X Y | hist COLUMN [BINS]  [--svg FILE] [--title TEXT]"

    func runChartCommand(_ arguments: [String], fail: (String) -> Bool) -> Bool {
        guard let first = arguments.first, let kind = Chart.Kind(rawValue: first.lowercased()) else { return fail(Shell.chartUsage) }
        var columns: [String] = []
        var svgPath: String?
        var title: String?
        var rest = arguments.dropFirst()[...]
        while let word = rest.popFirst() {
            switch word {
            case "--svg", "--title":
                guard let value = rest.popFirst() else { return fail(Shell.chartUsage) }
                if word == "--svg" { svgPath = value } else { title = value }
            default:
                columns.append(word)
            }
        }
        guard let lastResult else { return fail(missingLastResult("no previous result to chart; run a query first")) }
        let chart: Chart
        do {
            chart = try Chart(kind: kind, columns: columns, title: title, result: lastResult)
        } catch let problem as Chart.Problem {
            return fail(problem.message.hasPrefix("Usage") ? problem.message : "Error: " + problem.message)
        } catch {
            return fail("Error: \(error)")
        }
        if let svgPath {
            do {
                try database.settings.fileAccess.checkWrite(svgPath)
                try FileIO.writeAtomically(SVGChart(chart: chart).render(), to: svgPath)
            } catch {
                return fail("\(error)")
            }
            return true
        }
        let size = redirect == nil ? terminalSize() : nil
        let width = settings.maxWidth ?? size?.columns ?? 80
        let height = size.map { max(10, min(30, $0.rows - 4)) } ?? 24
        let text = TerminalChart(chart: chart, width: width, height: height, palette: redirect == nil ? palette : .plain).render()
        emit(text)
        return true
    }
}
