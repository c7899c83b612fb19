// Runs EmbedDatasets over datasets/*.csv so the built-in tables are compiled into
// the binary: a release binary copied alone elsewhere still opens with them.
import Foundation
import PackagePlugin

@main
struct EmbedDatasetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let datasets = context.package.directoryURL.appending(path: "datasets")
        let names = ["miners", "quarters", "prices", "deals"]
        let inputs = names.map { datasets.appending(path: "\($0).csv") }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinDatasets+Generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding built-in datasets",
                executable: try context.tool(named: "EmbedDatasets").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
