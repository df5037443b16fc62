import Foundation
import Scenarios
import Testing

@testable import SiteBuilder

/// `allocbook check --coverage`: which allocator paths the scenarios reach, and where first.
@Suite struct CourseCoverageTests {
    func coverage(_ lessons: [String: String]) throws -> CourseCoverage {
        // A real course (check reads it through the same front end as build); the front
        // matter takes the first 5 lines of each lesson.
        var files = ["course.yml": "title: \"T\"\ndescription: \"D\"\n"]
        for (order, name) in lessons.keys.sorted().enumerated() {
            files[name] =
                "---\ntitle: \"\(name)\"\norder: \(order + 1)\nsummary: \"S\"\n---\n"
                + (lessons[name] ?? "")
        }
        let folder = try SiteTestSupport.content(files)
        defer { SiteTestSupport.remove(folder) }
        let runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: nil, recordFrames: false)
        let report = ScenarioCheck(content: folder.path, fix: false, runner: runner).run()
        return CourseCoverage(lessons: report.lessons)
    }

    @Test func firstStatementReachingEachPathIsNamed() throws {
        let map = try coverage([
            "01-a.md": """
            # A

            ```scenario malloc
            p = malloc(40);
            free(p);
            q = malloc(40);
            ```

            """,
            "02-b.md": """
            # B

            ```scenario kernel
            a = kmalloc(150, GFP_KERNEL);
            kfree(a);
            ```

            """,
        ])
        func entry(_ id: String) -> CourseCoverage.Entry? { map.entries.first { $0.path.id == id } }
        #expect(entry("malloc.tcache.put")?.first?.line == 10)
        #expect(entry("malloc.tcache.hit")?.first?.line == 11)
        #expect(entry("malloc.tcache.hit")?.first?.path.hasSuffix("/01-a.md") == true)
        // The first malloc carves the tcache struct and then p from top.
        #expect(entry("malloc.top.split")?.hits == 2)
        #expect(entry("kernel.kmalloc.class.kmalloc-192")?.first?.line == 9)
        #expect(entry("kernel.slab.alloc.new-slab")?.hits == 1)
        #expect(entry("kernel.slab.free.cpu-slab")?.first?.line == 10)
        #expect(map.unreached.contains { $0.path.id == "malloc.fastbin.hit" })
        #expect(map.scenarioCount == 2)
        #expect(map.text.contains("malloc.tcache.hit"))
        #expect(map.text.contains("not reached by any lesson"))

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(map.json.utf8)) as? [String: Any])
        #expect(json["reached"] as? Int == map.reached.count)
        #expect(json["total"] as? Int == map.entries.count)
        #expect((json["unreached"] as? [String])?.count == map.unreached.count)
    }

    @Test func everyPathTheCourseReachesIsInTheCatalog() throws {
        let content = SiteTestSupport.testsFolder.deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content").path
        let runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: nil, recordFrames: false)
        let report = ScenarioCheck(content: content, fix: false, runner: runner).run()
        let catalog = Set((MallocPaths.catalog + KernelPaths.catalog).map(\.id))
        #expect(catalog.count == MallocPaths.catalog.count + KernelPaths.catalog.count)
        var reached = 0
        for lesson in report.lessons {
            for block in lesson.results {
                for hit in block.paths.joined() {
                    #expect(catalog.contains(hit.path.id), "\(hit.path.id)")
                    reached += 1
                }
            }
        }
        #expect(reached > 500)
        #expect(CourseCoverage(lessons: report.lessons).reached.count > 40)
    }
}
