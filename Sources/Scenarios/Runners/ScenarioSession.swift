/// The state a `session=NAME` carries from one block to the next in one lesson; `Engine` is
/// the type of its running engine (a `ScenarioEngine`).
public struct ScenarioSession<Engine> {
    /// The options of the session's first block.
    public var options: ScenarioOptions
    /// Variables declared so far.
    public var variables = ScenarioVariables()
    /// The running engine (`nil` once a block of the session could not run).
    public var engine: Engine?
    /// The line where the program ended (abort, BUG), if it did.
    public var endedAtLine: Int?
    /// Statements run so far, in order (for verification against the real glibc).
    public var statements: [ScenarioStatement] = []
    /// Their outputs.
    public var outputs: [[String]] = []

    /// Starts a session with its first block's options.
    public init(options: ScenarioOptions, engine: Engine?) {
        self.options = options
        self.engine = engine
    }

    /// A message if `other` (a later block's options) conflicts with the session's settings.
    public func conflict(with other: ScenarioOptions, name: String) -> String? {
        if other.model != options.model {
            return
                "session '\(name)' runs the '\(options.model.rawValue)' model; this block says "
                + "'\(other.model.rawValue)'"
        }
        if other.cpus != options.cpus || other.memoryBytes != options.memoryBytes
            || other.freelistRandomSeed != options.freelistRandomSeed
            || other.version != options.version || other.slabDebug != options.slabDebug
            || other.perCPULists != options.perCPULists
        {
            return
                "session '\(name)' was started with other 'cpus', 'memory', 'freelist_random', "
                + "'slab_debug', 'pcp' or 'version' settings"
        }
        return nil
    }
}
