#if canImport(Glibc)
    import Glibc
#endif

/// Finds a free TCP port on the loopback interface.
enum PortFinder {
    /// Whether a server could listen on `127.0.0.1:port` now.
    static func isFree(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0 && listen(fd, 1) == 0
    }

    /// The first free port from `start` on, trying `attempts` ports.
    static func firstFree(from start: UInt16, attempts: Int) -> UInt16? {
        var port = start
        for _ in 0..<attempts {
            if isFree(port) { return port }
            guard port < UInt16.max else { return nil }
            port += 1
        }
        return nil
    }
}
