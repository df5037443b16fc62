import AllocatorModels

/// The state a `session=NAME` carries from one block to the next in one lesson.
struct ScenarioSession {
    /// The options of the session's first block.
    var options: ScenarioOptions
    /// Variables declared so far.
    var variables = ScenarioVariables()
    /// The running engine (`nil` once a block of the session could not run).
    var engine: (any ScenarioEngine)?
    /// The line where the program ended (abort, BUG), if it did.
    var endedAtLine: Int?
    /// Statements run so far, in order (for verification against the real glibc).
    var statements: [ScenarioStatement] = []
    /// Their outputs.
    var outputs: [[String]] = []

    init(options: ScenarioOptions, engine: (any ScenarioEngine)?) {
        self.options = options
        self.engine = engine
    }

    /// A message if `other` (a later block's options) conflicts with the session's settings.
    func conflict(with other: ScenarioOptions, name: String) -> String? {
        if other.model != options.model {
            return
                "session '\(name)' runs the '\(options.model.rawValue)' model; this block says "
                + "'\(other.model.rawValue)'"
        }
        if other.cpus != options.cpus || other.memoryBytes != options.memoryBytes
            || other.freelistRandomSeed != options.freelistRandomSeed
        {
            return
                "session '\(name)' was started with other 'cpus', 'memory' or 'freelist_random' settings"
        }
        return nil
    }
}
