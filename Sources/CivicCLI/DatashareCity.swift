import CivicApps
import CivicCrypto
import CivicLedger
import Foundation

/// The synthetic city of `civic bench datashare` (Nanjing's figures, `../shared/SCENARIOS.md` scenario 1): departments,
/// their catalogued resources, the service items that join them, certificate types and the certificates of a sample of
/// people. Everything is a pure function of the counts, so the loader and the traffic agree without sharing tables.
struct DatashareCity: Sendable {
    /// How big the city is.
    struct Counts: Codable, Sendable {
        var departments: Int
        var serviceItems: Int
        var certificateTypes: Int
        var certificates: Int
        var people: Int
        var companies: Int
    }

    /// What one resource kind of every department serves.
    enum ResourceKind: Int, CaseIterable, Sendable {
        /// Residents: rows of the `people` table, personal fields.
        case residents
        /// Enterprises: rows of the `companies` table.
        case enterprises
        /// The department's own case files, catalogued as not shared (不予共享).
        case cases

        /// The id suffix.
        var suffix: String {
            switch self {
            case .residents: "residents"
            case .enterprises: "enterprises"
            case .cases: "cases"
            }
        }
    }

    /// A service item: `consumer` uses `provider`'s resource of `kind`.
    struct ServiceItem: Sendable {
        var id: String
        var consumer: Int
        var provider: Int
        var kind: ResourceKind
    }

    /// Municipal departments of a Chinese city (the first 49 are used by default).
    static let departmentNames = [
        "public-security", "civil-affairs", "human-resources-social-security", "natural-resources-planning",
        "housing-urban-rural-development", "market-regulation", "taxation", "health-commission", "education", "transport",
        "ecology-environment", "emergency-management", "justice", "finance", "statistics", "culture-tourism",
        "agriculture-rural-affairs", "water-affairs", "commerce", "industry-information-technology", "science-technology",
        "development-reform", "veterans-affairs", "medical-security", "housing-provident-fund", "government-services",
        "big-data", "urban-management", "landscape-forestry", "sports", "audit", "ethnic-religious-affairs",
        "state-owned-assets", "archives", "meteorology", "fire-rescue", "customs", "immigration",
        "disabled-persons-federation", "womens-federation", "red-cross", "intermediate-court", "procuratorate",
        "financial-supervision", "civil-air-defense", "intellectual-property", "traffic-police", "postal-administration",
        "housing-security",
    ]

    let counts: Counts
    let suite: CryptoSuite
    /// The salt the member departments share off chain for ``SubjectFingerprint``.
    let salt: [UInt8]

    /// The organization name of department `index` (`nanjing-<name>`, numbered past the list's end).
    func department(_ index: Int) -> String {
        let names = Self.departmentNames
        let base = "nanjing-" + names[index % names.count]
        return index < names.count ? base : base + "-\(index / names.count + 1)"
    }

    /// The catalog id of department `department`'s resource of `kind`.
    func resourceID(_ department: Int, _ kind: ResourceKind) -> String { "\(self.department(department)).\(kind.suffix)" }

    /// Residents are shared unconditionally by even departments and on conditions by odd ones; enterprises the
    /// other way round; case files never.
    func shareType(_ department: Int, _ kind: ResourceKind) -> ShareType {
        switch kind {
        case .residents: department % 2 == 0 ? .unconditional : .conditional
        case .enterprises: department % 2 == 0 ? .conditional : .unconditional
        case .cases: .notShared
        }
    }

    /// The fields of `kind`, as the gateway's table has them.
    static func fields(_ kind: ResourceKind) -> [ResourceField] {
        switch kind {
        case .residents:
            [ResourceField(name: "id_number", type: .string, sensitivity: .personal, description: "居民身份证号码"),
             ResourceField(name: "name", type: .string, sensitivity: .personal, description: "姓名"),
             ResourceField(name: "gender", type: .string, sensitivity: .personal, description: "性别"),
             ResourceField(name: "birth_date", type: .date, sensitivity: .personal, description: "出生日期"),
             ResourceField(name: "address", type: .string, sensitivity: .personal, description: "户籍地址"),
             ResourceField(name: "household", type: .string, sensitivity: .internal, description: "户口类别")]
        case .enterprises:
            [ResourceField(name: "credit_code", type: .string, sensitivity: .open, description: "统一社会信用代码"),
             ResourceField(name: "name", type: .string, sensitivity: .open, description: "企业名称"),
             ResourceField(name: "legal_representative", type: .string, sensitivity: .personal, description: "法定代表人"),
             ResourceField(name: "registered_capital", type: .integer, sensitivity: .open, description: "注册资本（元）"),
             ResourceField(name: "established", type: .date, sensitivity: .open, description: "成立日期"),
             ResourceField(name: "address", type: .string, sensitivity: .open, description: "住所")]
        case .cases:
            [ResourceField(name: "case_number", type: .string, sensitivity: .sensitive),
             ResourceField(name: "summary", type: .string, sensitivity: .sensitive)]
        }
    }

    /// The catalog entry of department `department`'s resource of `kind`, served by `gateway`.
    func resourceDraft(_ department: Int, _ kind: ResourceKind, gateway: String) -> ResourceDraft {
        let type = shareType(department, kind)
        return ResourceDraft(
            id: resourceID(department, kind), title: "\(self.department(department)) \(kind.suffix)",
            description: "Synthetic \(kind.suffix) of the \(self.department(department)) department (civic bench datashare).",
            fields: Self.fields(kind), updateFrequency: "daily", shareType: type,
            conditions: type == .conditional ? "Only for the stated service item; the applicant's consent is on file." : "",
            gateway: gateway)
    }

    /// Service item `index`: consumers go round the departments, each asking a different provider every round;
    /// even items use residents, odd ones enterprises.
    func serviceItem(_ index: Int) -> ServiceItem {
        let count = counts.departments
        let consumer = index % count
        let provider = (consumer + 1 + (index / count) % (count - 1)) % count
        return ServiceItem(id: String(format: "item-%04d", index + 1), consumer: consumer, provider: provider,
                           kind: index % 2 == 0 ? .residents : .enterprises)
    }

    /// Certificate type `index` and the department that registers (and issues) it.
    func certificateType(_ index: Int) -> (id: String, issuer: Int) {
        (String(format: "ct-%04d", index + 1), index % counts.departments)
    }

    /// Certificate `index`: its id, type, issuing department, the person holding it (an index into the people
    /// table, spread over it), and the department the holder authorized to verify it.
    func certificate(_ index: Int) -> (id: String, type: Int, issuer: Int, person: Int, verifier: Int) {
        let type = index % counts.certificateTypes
        let person = counts.people <= counts.certificates ? index % max(1, counts.people)
            : Int((UInt64(index) &* 2_654_435_761) % UInt64(counts.people))
        return (String(format: "cert-%07d", index + 1), type, certificateType(type).issuer, person,
                (index * 7 + 3) % counts.departments)
    }

    /// The fingerprint of certificate `index`'s electronic document (the document itself is never made).
    func documentFingerprint(_ index: Int) -> Hash256 { suite.hash(Array("synthetic e-certificate document \(index)".utf8)) }

    /// The subject fingerprint of person `index`.
    func personFingerprint(_ index: Int) -> Hash256 {
        SubjectFingerprint.make(identifier: SyntheticIdentifiers.personID(index, count: counts.people), salt: salt, suite: suite)
    }
}
