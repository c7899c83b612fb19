// The curated tables minerql opens with. Their CSV text is generated into this
// module at build time from datasets/ (see Plugins/EmbedDatasetsPlugin).

/// The built-in tables `miners`, `quarters`, `prices` and `deals` as CSV text.
public enum BuiltinDatasets {}
