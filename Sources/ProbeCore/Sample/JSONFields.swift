/// The members of one parsed JSON object, read with the sample schema's types: ``SampleDecoder`` asks for each
/// field by key and type, and a missing field or a wrong type becomes a ``SampleDecodingError`` naming it.
struct JSONFields {
    let members: [String: JSONNode]
    /// `error.` for the nested error object, so messages name `error.kind`.
    let prefix: String

    private func value(_ key: String) throws(SampleDecodingError) -> JSONNode {
        guard let value = members[key] else { throw SampleDecodingError(.missingField(prefix + key)) }
        return value
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONNode) -> SampleDecodingError {
        SampleDecodingError(.wrongType(field: prefix + key, expected: expected, found: found.summary))
    }

    func string(_ key: String) throws(SampleDecodingError) -> String {
        let found = try value(key)
        guard case .string(let text) = found else { throw mismatch(key, "a string", found) }
        return text
    }

    func optionalString(_ key: String) throws(SampleDecodingError) -> String? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .string(let text): return text
        default: throw mismatch(key, "a string or null", found)
        }
    }

    func bool(_ key: String) throws(SampleDecodingError) -> Bool {
        let found = try value(key)
        guard case .bool(let flag) = found else { throw mismatch(key, "true or false", found) }
        return flag
    }

    func integer(_ key: String) throws(SampleDecodingError) -> Int64 {
        let found = try value(key)
        guard case .number(let text) = found else { throw mismatch(key, "an integer", found) }
        return try integer(key, text)
    }

    func optionalInteger(_ key: String) throws(SampleDecodingError) -> Int64? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .number(let text): return try integer(key, text)
        default: throw mismatch(key, "an integer or null", found)
        }
    }

    func int(_ key: String) throws(SampleDecodingError) -> Int {
        try narrow(key, integer(key))
    }

    func optionalInt(_ key: String) throws(SampleDecodingError) -> Int? {
        guard let wide = try optionalInteger(key) else { return nil }
        return try narrow(key, wide)
    }

    /// A duration in milliseconds with up to three decimals, as integer microseconds; nil for `null`.
    func milliseconds(_ key: String) throws(SampleDecodingError) -> Int64? {
        let found = try value(key)
        switch found {
        case .null:
            return nil
        case .number(let text):
            guard let micros = JSONNumber.scaled(text, by: 3) else {
                throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(text) ms is out of range"))
            }
            return micros
        default:
            throw mismatch(key, "a number or null", found)
        }
    }

    func enumeration<Value: RawRepresentable<String>>(
        _ key: String, _ type: Value.Type
    ) throws(SampleDecodingError) -> Value {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "unknown value \"\(text)\""))
        }
        return value
    }

    func optionalObject(_ key: String) throws(SampleDecodingError) -> JSONFields? {
        let found = try value(key)
        switch found {
        case .null: return nil
        case .object(let members): return JSONFields(members: members, prefix: prefix + key + ".")
        default: throw mismatch(key, "an object or null", found)
        }
    }

    private func integer(_ key: String, _ text: String) throws(SampleDecodingError) -> Int64 {
        guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw SampleDecodingError(.wrongType(field: prefix + key, expected: "an integer", found: "number \(text)"))
        }
        guard let value = Int64(text) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(text) is out of range"))
        }
        return value
    }

    private func narrow(_ key: String, _ value: Int64) throws(SampleDecodingError) -> Int {
        guard let narrow = Int(exactly: value) else {
            throw SampleDecodingError(.invalidValue(field: prefix + key, detail: "\(value) is out of range"))
        }
        return narrow
    }
}
