public import AllocatorModels

/// The options of a scenario block, from its info string:
/// `scenario MODEL [session=NAME] [cpus=N] [memory=SIZE] [freelist_random=SEED]
/// [slab_debug=F] [pcp=true|false] [version=6.1|6.18] [verify=glibc|kernel] [figure=MODE]
/// [predict=true]`.
public struct ScenarioOptions: Hashable, Sendable {
    /// The model the block runs on.
    public var model: ScenarioModelKind
    /// The session that carries state between blocks of one lesson, if any.
    public var session: String?
    /// Number of CPUs (kernel model; slab geometry depends on it).
    public var cpus: Int
    /// Physical memory in bytes (kernel model).
    public var memoryBytes: UInt64
    /// CONFIG_SLAB_FREELIST_RANDOM with this seed (kernel model; `nil`: off).
    public var freelistRandomSeed: UInt64? = nil
    /// Boot with `slab_debug=F`, SLUB's consistency checks (kernel model; default off).
    public var slabDebug = false
    /// Per-CPU page lists for orders 0...3 and 9 (kernel model; `pcp=true`; default off).
    public var perCPULists = false
    /// Whether the block is also run on the real glibc (`verify=glibc`).
    public var verifyGlibc: Bool
    /// Whether the block is also replayed in a real Linux 6.1 kernel (`verify=kernel`).
    public var verifyKernel = false
    /// The Linux release the kernel model follows (`version=6.1`; default 6.18).
    public var version = KernelVersion.standard
    /// Which diagram frames to draw.
    public var figure: FigureMode
    /// Whether the outputs are hidden behind a reveal element (`predict=true`).
    public var predict: Bool

    /// The kernel model's defaults: 2 CPUs, 64 MiB.
    public static let defaultCPUs = 2
    /// The kernel model's default memory size.
    public static let defaultMemoryBytes: UInt64 = 64 << 20

    /// Creates options with the defaults for `model`.
    public init(
        model: ScenarioModelKind, session: String? = nil, cpus: Int = defaultCPUs,
        memoryBytes: UInt64 = defaultMemoryBytes, verifyGlibc: Bool = false,
        figure: FigureMode = .final, predict: Bool = false
    ) {
        self.model = model
        self.session = session
        self.cpus = cpus
        self.memoryBytes = memoryBytes
        self.verifyGlibc = verifyGlibc
        self.figure = figure
        self.predict = predict
    }

    /// Whether an info string opens a scenario block (its first word is `scenario`).
    public static func isScenario(_ info: String) -> Bool {
        info.split(separator: " ", maxSplits: 1).first.map { $0 == "scenario" } ?? false
    }

    /// Parses the info string whose first scalar is at 1-based `column` of lesson line `line`.
    ///
    /// Problems are issues at the word's column; parsing goes on to report them all.
    public static func parse(
        _ info: String, line: Int, column: Int
    ) -> (ScenarioOptions?, [ScenarioIssue]) {
        var words: [(text: Substring, column: Int)] = []
        var offset = 0
        var current: Substring.Index?
        var currentColumn = 0
        for (i, c) in zip(info.indices, info) {
            if c == " " || c == "\t" {
                if let start = current { words.append((info[start..<i], currentColumn)) }
                current = nil
            } else if current == nil {
                current = i
                currentColumn = column + offset
            }
            offset += c.unicodeScalars.count
        }
        if let start = current { words.append((info[start...], currentColumn)) }
        var issues: [ScenarioIssue] = []
        guard words.count >= 2 else {
            issues.append(
                ScenarioIssue(
                    line: line, column: column + offset,
                    "missing model after 'scenario'; expected 'malloc' or 'kernel'"))
            return (nil, issues)
        }
        guard let model = ScenarioModelKind(rawValue: String(words[1].text)) else {
            issues.append(
                ScenarioIssue(
                    line: line, column: words[1].column,
                    "unknown model '\(words[1].text)'; expected 'malloc' or 'kernel'"))
            return (nil, issues)
        }
        var options = ScenarioOptions(model: model)
        var seen: Set<Substring> = []
        for word in words.dropFirst(2) {
            guard let equals = word.text.firstIndex(of: "=") else {
                issues.append(
                    ScenarioIssue(
                        line: line, column: word.column,
                        "expected an option 'key=value', found '\(word.text)'"))
                continue
            }
            let key = word.text[..<equals]
            let value = word.text[word.text.index(after: equals)...]
            let valueColumn = word.column + key.unicodeScalars.count + 1
            if !seen.insert(key).inserted {
                issues.append(
                    ScenarioIssue(line: line, column: word.column, "option '\(key)' is given twice")
                )
                continue
            }
            if let message = options.apply(key: key, value: value) {
                let onKey = message.hasPrefix("unknown option") || message.hasSuffix("model only")
                issues.append(
                    ScenarioIssue(line: line, column: onKey ? word.column : valueColumn, message))
            }
        }
        if options.slabDebug && options.verifyKernel,
            let word = words.first(where: { $0.text.hasPrefix("slab_debug=") })
        {
            issues.append(
                ScenarioIssue(
                    line: line, column: word.column,
                    "'slab_debug' cannot be combined with 'verify=kernel': the real kernel boots without it"
                ))
        }
        return (options, issues)
    }

    /// Applies one option; returns a message if it is not valid.
    private mutating func apply(key: Substring, value: Substring) -> String? {
        switch key {
        case "session":
            guard !value.isEmpty,
                value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else { return "session name must be letters, digits, '-' or '_'" }
            session = String(value)
        case "cpus":
            guard model == .kernel else {
                return "option 'cpus' applies to the 'kernel' model only"
            }
            guard let n = Int(value), n >= 1, n <= 8192 else {
                return "'cpus' must be a number from 1 to 8192, found '\(value)'"
            }
            cpus = n
        case "memory":
            guard model == .kernel else {
                return "option 'memory' applies to the 'kernel' model only"
            }
            guard let bytes = Self.parseSize(value), bytes >= 1 << 20 else {
                return "'memory' must be a size such as 64M or 1G (at least 1M), found '\(value)'"
            }
            memoryBytes = bytes
        case "freelist_random":
            guard model == .kernel else {
                return "option 'freelist_random' applies to the 'kernel' model only"
            }
            guard let seed = UInt64(value) else {
                return
                    "'freelist_random' must be a seed from 0 to 18446744073709551615, found '\(value)'"
            }
            freelistRandomSeed = seed
        case "slab_debug":
            guard model == .kernel else {
                return "option 'slab_debug' applies to the 'kernel' model only"
            }
            guard value == "F" else {
                return
                    "'slab_debug' must be 'F' (the model has SLUB's consistency checks only), found '\(value)'"
            }
            slabDebug = true
        case "pcp":
            guard model == .kernel else {
                return "option 'pcp' applies to the 'kernel' model only"
            }
            guard value == "true" || value == "false" else {
                return "'pcp' must be 'true' or 'false', found '\(value)'"
            }
            perCPULists = value == "true"
        case "verify":
            switch model {
            case .malloc:
                if value == "kernel" {
                    return "option 'verify=kernel' applies to the 'kernel' model only"
                }
                guard value == "glibc" else { return "'verify' must be 'glibc', found '\(value)'" }
                verifyGlibc = true
            case .kernel:
                if value == "glibc" {
                    return "option 'verify=glibc' applies to the 'malloc' model only"
                }
                guard value == "kernel" else {
                    return "'verify' must be 'kernel', found '\(value)'"
                }
                verifyKernel = true
            }
        case "version":
            guard model == .kernel else {
                return "option 'version' applies to the 'kernel' model only"
            }
            guard let release = KernelVersion(rawValue: String(value)) else {
                return "'version' must be '6.1' or '6.18', found '\(value)'"
            }
            version = release
        case "figure":
            guard let mode = FigureMode(rawValue: String(value)) else {
                return "'figure' must be 'steps', 'final' or 'none', found '\(value)'"
            }
            figure = mode
        case "predict":
            guard value == "true" || value == "false" else {
                return "'predict' must be 'true' or 'false', found '\(value)'"
            }
            predict = value == "true"
        default:
            return "unknown option '\(key)'"
        }
        return nil
    }

    /// Parses `64M`, `1G`, `4096`, `512K` into bytes (`ByteSize`); 0 is not a size here.
    static func parseSize(_ text: Substring) -> UInt64? {
        guard let bytes = ByteSize.parse(text.utf8), bytes > 0 else { return nil }
        return bytes
    }
}
