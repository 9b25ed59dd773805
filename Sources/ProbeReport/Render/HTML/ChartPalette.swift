/// Colours of the HTML report, chosen to stay apart for the common colour-vision deficiencies (Okabe and Ito's
/// blue and orange for the two paths being compared, Paul Tol's "muted" scheme for PoPs).
enum ChartPalette {
    /// The line colour of a path type: blue for peering-service, orange for internet, purple for
    /// expressroute, grey for unknown and anything else.
    static func color(pathType: String) -> String {
        switch pathType {
        case "peering-service": "#0072b2"
        case "internet": "#e69f00"
        case "expressroute": "#8e44ad"
        default: "#7f7f7f"
        }
    }

    /// The order path types are drawn and listed in.
    static func rank(pathType: String) -> Int {
        switch pathType {
        case "peering-service": 0
        case "internet": 1
        case "expressroute": 2
        case "unknown": 3
        default: 4
        }
    }

    /// Dash patterns that tell apart several paths of one type in a time series (the first is solid).
    static let dashes: [String?] = [nil, "7 3", "2 3", "9 3 2 3"]

    /// Fill colours of PoP segments, in order of first appearance for a target.
    static let pops = [
        "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
    ]

    /// The fill of the share of samples without an edge header.
    static let noPop = "#dddddd"

    /// Black or white, whichever reads better on `background` (a `#rrggbb` colour).
    static func textColor(on background: String) -> String {
        let digits = Array(background.utf8.dropFirst())
        guard digits.count == 6 else { return "#000000" }
        func channel(_ index: Int) -> Double {
            func nibble(_ byte: UInt8) -> Int {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
                default: 0
                }
            }
            return Double(nibble(digits[index]) * 16 + nibble(digits[index + 1])) / 255
        }
        let luminance = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4)
        return luminance > 0.55 ? "#000000" : "#ffffff"
    }
}
