import LessonMarkdown

/// `allocbook check --links`: the course's links, checked without a network.
public enum CourseLinks {
    /// A link to somewhere outside the course.
    public struct External: Sendable, Hashable {
        /// Where the link is written.
        public var location: SourceLocation
        /// The destination (`https://…`, `mailto:…`).
        public var destination: String
    }

    /// Every link with a URL scheme (`https:`, `mailto:`), in lesson and position order.
    public static func external(in course: Course) -> [External] {
        var links: [External] = []
        for lesson in course.lessons.sorted(by: { $0.fileName < $1.fileName }) {
            for link in lesson.document.links where hasScheme(link.destination) {
                let column = SourceText.scalarColumn(
                    in: lesson.source, line: link.line, utf8Column: link.utf8Column)
                links.append(
                    External(
                        location: SourceLocation(
                            path: lesson.path, line: link.line, column: column),
                        destination: link.destination))
            }
        }
        return links
    }

    /// Errors for links to `#fragment` anchors that the target page will not have; the
    /// fenced-block processors (whose HTML carries scenario and step anchors) run only on the
    /// lessons a fragment that is not a heading points into.
    public static func brokenFragments(
        in course: Course, configuration: SiteConfiguration = .standard
    ) -> [Diagnostic] {
        FragmentLinks.check(course, processors: configuration.processors)
    }

    /// Whether a destination starts with a URL scheme (`https:`), not a path.
    static func hasScheme(_ destination: String) -> Bool {
        guard let colon = destination.firstIndex(of: ":") else { return false }
        let scheme = destination[..<colon]
        guard let first = scheme.first, first.isLetter else { return false }
        return scheme.allSatisfy {
            $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "."
        }
    }
}
