import ArgumentParser
import Logging
import ProbeAgent
import Testing

@testable import peering_probe

/// `--log-format` and `--log-level` values as ArgumentParser reads them.
@Suite("log arguments")
struct LogArgumentTests {
    /// A command with the two options, as `run` declares them.
    struct LogOptions: ParsableArguments {
        @Option var logFormat: LogFormat = .text
        @Option var logLevel: Logger.Level = .info
    }

    @Test("formats and levels parse in any case; the defaults are text and info")
    func parses() throws {
        let defaults = try LogOptions.parse([])
        #expect(defaults.logFormat == .text && defaults.logLevel == .info)
        let chosen = try LogOptions.parse(["--log-format", "JSON", "--log-level", "Warning"])
        #expect(chosen.logFormat == .json && chosen.logLevel == .warning)
        for (text, level) in [("debug", Logger.Level.debug), ("info", .info), ("warning", .warning), ("error", .error)]
        {
            #expect(try LogOptions.parse(["--log-level", text]).logLevel == level)
        }
    }

    @Test("other values are refused, and the error lists the choices")
    func refuses() {
        for arguments in [
            ["--log-level", "trace"], ["--log-level", "critical"], ["--log-level", "warn"], ["--log-format", "yaml"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { try LogOptions.parse(arguments) }
        }
        #expect(
            message(["--log-level", "notice"])
                == "The value 'notice' is invalid for '--log-level <log-level>'. "
                + "Please provide one of 'debug', 'info', 'warning' or 'error'.")
        #expect(
            message(["--log-format", "yaml"])
                == "The value 'yaml' is invalid for '--log-format <log-format>'. "
                + "Please provide one of 'text' and 'json'.")
    }

    /// The error message ArgumentParser prints for `arguments`.
    private func message(_ arguments: [String]) -> String {
        do {
            _ = try LogOptions.parse(arguments)
            return "accepted"
        } catch {
            return LogOptions.message(for: error)
        }
    }
}
