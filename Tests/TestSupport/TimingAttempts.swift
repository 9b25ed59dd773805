/// Repeats a timing measurement on a shared machine: another process can hold every core for a few
/// milliseconds and make one measurement late, but code that is really slow is late every time.
///
/// ``measure(attempts:_:passes:)`` measures up to `attempts` times and stops at the first measurement that
/// passes, so a timing check fails only when every attempt failed. Each attempt is a whole, fresh measurement
/// (not one more sample pooled with the others), and the caller asserts on the result, naming every attempt's
/// value in its message.
public enum TimingAttempts {
    /// Measures with `measurement` until `passes` holds for a result, at most `attempts` times; returns whether
    /// one passed and every result in order. An error thrown by `measurement` ends the attempts and is thrown.
    public static func measure<Value>(
        attempts: Int = 3, _ measurement: () throws -> Value, passes: (Value) -> Bool
    ) rethrows -> (passed: Bool, values: [Value]) {
        var values: [Value] = []
        for _ in 0..<max(1, attempts) {
            let value = try measurement()
            values.append(value)
            if passes(value) { return (true, values) }
        }
        return (false, values)
    }
}
