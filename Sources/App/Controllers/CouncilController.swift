import Fluent
import Foundation
import Vapor
import ThiDuaCore

enum CouncilURL {
    static func session(_ id: UUID) -> String { "/awards/sessions/\(id)" }
    static func recuse(_ id: UUID) -> String { "/awards/sessions/\(id)/recuse" }
    static func ballot(_ id: UUID) -> String { "/awards/sessions/\(id)/ballot" }
    static func paper(_ id: UUID) -> String { "/awards/sessions/\(id)/paper" }
    static func close(_ id: UUID) -> String { "/awards/sessions/\(id)/close" }
    static func minutes(_ id: UUID) -> String { "/awards/sessions/\(id)/minutes.docx" }
}

/// The council's sessions: members and attendance (quorum), declared conflicts, a secret ballot online — a member's
/// choices only move per-nominee counters, in the transaction that marks the member as having voted, so nothing links
/// a member to a choice and no one votes twice — or paper counts entered by the secretary; results by the award's
/// threshold, and the minutes (biên bản) drafted as DOCX.
enum CouncilController {
    /// Everyone holding the council member role (the secretary picks the session's members among them).
    static func councillors(on db: any Database) async throws -> [User] {
        let ids = Set(try await RoleGrant.query(on: db).filter(\.$roleRaw == Role.councilMember.rawValue).all().map(\.$user.id))
        guard !ids.isEmpty else { return [] }
        return try await User.query(on: db).filter(\.$id ~~ Array(ids)).filter(\.$isActive == true).sort(\.$displayName).all()
    }

    /// The nominees a new session of the movement votes on: those of dossiers under review, not voted yet, that were
    /// under review when the candidates were published for comment (a dossier reviewed later was never public).
    static func ballotNominees(movement: UUID, on db: any Database) async throws -> [AwardNominee] {
        guard let m = try await AwardMovement.find(movement, on: db), let published = m.commentOpenedMs else { return [] }
        let ids = try await AwardNomination.query(on: db).filter(\.$movement.$id == movement).filter(\.$stateRaw == NominationState.underReview.rawValue).all()
            .filter { ($0.reviewedMs ?? .max) <= published }.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        return try await AwardNominee.query(on: db).filter(\.$nomination.$id ~~ ids).filter(\.$result == nil).sort(\.$awardCode).sort(\.$holderName).all()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let m = try await NominationController.loadMovement(req)
        let mid = try m.requireID()
        let t = req.t
        let f = { (k: String, max: Int) in NominationController.field(req, k, max) }
        var errors: [String] = []
        let title = try? FieldRules.name(f("title", 300), max: 300).get()
        if title == nil { errors.append(t("council.error.title")) }
        let held = try? FieldRules.date(f("held_on", 20)).get()
        if (held ?? nil) == nil { errors.append(t("council.error.date")) }
        let place = (try? FieldRules.optionalText(f("place", 300), max: 300).get()) ?? nil
        let chair = try? FieldRules.name(f("chair", 200), max: 200).get()
        if chair == nil { errors.append(t("council.error.chair")) }
        let secretary = try? FieldRules.name(f("secretary", 200), max: 200).get()
        if secretary == nil { errors.append(t("council.error.secretary")) }
        let mode = f("mode", 10)
        if mode != "online" && mode != "paper" { errors.append(t("council.error.mode")) }
        let quorumRaw = f("quorum", 20).trimmingCharacters(in: .whitespaces)
        let quorum = Fraction(parsing: quorumRaw)
        if quorum == nil || quorum!.numerator == 0 { errors.append(t("council.error.quorum")) }
        let chosen = Set(((try? req.content.get([String].self, at: "members")) ?? []).prefix(500).compactMap(UUID.init(uuidString:)))
        let present = Set(((try? req.content.get([String].self, at: "present")) ?? []).prefix(500).compactMap(UUID.init(uuidString:)))
        let councillors = try await councillors(on: req.db)
        let members = councillors.filter { chosen.contains($0.id!) }
        if members.isEmpty || members.count != chosen.count { errors.append(t("council.error.members")) }
        if !present.isSubset(of: chosen) { errors.append(t("council.error.present")) }
        if let q = quorum, q.numerator > 0, !members.isEmpty, !q.reached(present.count, of: members.count) {
            errors.append(t("council.error.noQuorum", String(present.count), String(members.count), String(q.minimum(of: members.count))))
        }
        if let day = held ?? nil {
            // The candidates were public for comment, and the period ended before the session.
            if let until = m.commentUntil.flatMap(CivilDate.init(parsing:)) {
                if !(until < day) || !(until < req.application.today) { errors.append(t("council.error.commentOpen", until.vietnamese)) }
            } else {
                errors.append(t("council.error.noComment"))
            }
        }
        let nominees = try await ballotNominees(movement: mid, on: req.db)
        if nominees.isEmpty { errors.append(t("council.error.noNominees")) }
        if try await CouncilSession.query(on: req.db).filter(\.$movement.$id == mid).filter(\.$state == "open").count() > 0 {
            errors.append(t("council.error.oneOpen"))
        }
        guard errors.isEmpty, let title, let day = held ?? nil, let chair, let secretary, quorum != nil else {
            return try await NominationController.movementPage(req, user, m, error: errors.joined(separator: " "), status: .unprocessableEntity)
        }
        let s = CouncilSession()
        s.$movement.id = mid
        s.title = title
        s.heldOn = day.iso
        s.mode = mode
        s.quorum = quorumRaw
        s.state = "open"
        s.place = place ?? ""
        s.chair = chair
        s.secretary = secretary
        s.createdMs = NominationController.now()
        let sid: UUID = try await req.db.writing(as: user.actor) { tx, audit in
            // Under the write lock: a double click opens one session, with the ballot as it is now.
            guard try await CouncilSession.query(on: tx).filter(\.$movement.$id == mid).filter(\.$state == "open").count() == 0 else { throw AppError.conflict }
            let nominees = try await ballotNominees(movement: mid, on: tx)
            guard !nominees.isEmpty else { throw AppError.conflict }
            try await s.create(on: tx)
            audit.created(s)
            let sid = try s.requireID()
            for u in members {
                let cm = CouncilMember()
                cm.$session.id = sid
                cm.$user.id = try u.requireID()
                cm.name = u.displayName
                cm.present = present.contains(try u.requireID())
                cm.voted = false
                try await cm.create(on: tx)
                audit.created(cm)
            }
            for x in nominees {
                let tally = CouncilTally()
                tally.$session.id = sid
                tally.$nominee.id = try x.requireID()
                tally.tally = Tally()
                try await tally.create(on: tx)
            }
            return sid
        }
        return req.redirect(to: CouncilURL.session(sid) + "?ok=saved")
    }

    struct Loaded {
        let session: CouncilSession
        let movement: AwardMovement
        let members: [CouncilMember]
        let tallies: [CouncilTally]
        let nominees: [UUID: AwardNominee]
        let recusals: [CouncilRecusal]
    }

    static func load(_ req: Request, on db: (any Database)? = nil) async throws -> Loaded {
        let db = db ?? req.db
        guard let id = req.parameters.get("sessionID", as: UUID.self), let s = try await CouncilSession.find(id, on: db),
            let m = try await AwardMovement.find(s.$movement.id, on: db)
        else { throw AppError.notFound }
        let members = try await CouncilMember.query(on: db).filter(\.$session.$id == id).sort(\.$name).all()
        let tallies = try await CouncilTally.query(on: db).filter(\.$session.$id == id).all()
        let ids = tallies.map(\.$nominee.id)
        let nominees = ids.isEmpty ? [] : try await AwardNominee.query(on: db).filter(\.$id ~~ ids).all()
        let recusals = try await CouncilRecusal.query(on: db).filter(\.$session.$id == id).all()
        return Loaded(session: s, movement: m, members: members, tallies: tallies,
                      nominees: Dictionary(nominees.compactMap { n in n.id.map { ($0, n) } }, uniquingKeysWith: { a, _ in a }), recusals: recusals)
    }

    /// The reform office, and the session's members, see a session.
    static func mayView(_ req: Request, _ user: CurrentUser, _ l: Loaded) async -> Bool {
        if await NominationController.isManager(req) { return true }
        return l.members.contains { $0.$user.id == user.id }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let l = try await load(req)
        guard await mayView(req, user, l) else { throw AppError.forbidden }
        return try await page(req, user, l, error: nil, status: .ok)
    }

    static func page(_ req: Request, _ user: CurrentUser, _ l: Loaded, error: String?, status: HTTPStatus) async throws -> Response {
        let catalogue = try await AwardController.catalogue(on: req.db)
        let me = l.members.first { $0.$user.id == user.id }
        let mayVote = AccessPolicy.permits(user.grants, .voteAwards)
        return CouncilPages.session(
            req.pageContext, l, me: mayVote ? me : nil, manager: await NominationController.isManager(req), catalogue: catalogue,
            outcomes: outcomes(l, catalogue), error: error
        ).response(status: status)
    }

    /// Each nominee's result by the award's threshold (members, recusals, attendance, the yes count).
    static func outcomes(_ l: Loaded, _ catalogue: AwardCatalogue) -> [UUID: VoteOutcome] {
        let quorum = Fraction(parsing: l.session.quorum) ?? Fraction(2, 3)!
        var out: [UUID: VoteOutcome] = [:]
        for tally in l.tallies {
            let nid = tally.$nominee.id
            // A closed session's results are what was recorded at closing, whatever the catalogue says since.
            if !l.session.isOpen, let outcome = tally.outcome {
                out[nid] = VoteOutcome(quorum: outcome != "no_quorum", passed: outcome == "passed", needed: tally.needed ?? 0)
                continue
            }
            guard let x = l.nominees[nid] else { continue }
            let award = catalogue.types.first { $0.code == x.awardCode }
            let recusedUsers = Set(l.recusals.filter { $0.$nominee.id == nid }.map(\.$user.id))
            let presentNotRecused = l.members.filter { $0.present && !recusedUsers.contains($0.$user.id) }.count
            out[nid] = CouncilArithmetic.outcome(
                members: l.members.count, recused: recusedUsers.count, present: presentNotRecused, yes: tally.yes, quorum: quorum,
                threshold: award?.threshold ?? Fraction(7, 10)!, ofAllMembers: award?.ofAllMembers ?? true)
        }
        return out
    }

    /// The member of the session the user is, present, for an open session.
    static func openMember(_ req: Request, _ user: CurrentUser, _ l: Loaded) throws -> CouncilMember {
        guard let me = l.members.first(where: { $0.$user.id == user.id }) else { throw AppError.forbidden }
        guard l.session.isOpen else { throw AppError.refused(key: "council.closed") }
        return me
    }

    /// A member declares a conflict with a nominee before voting: they will not vote on it and leave its base.
    @Sendable static func recuse(req: Request) async throws -> Response {
        let user = try req.require(.voteAwards)
        let l = try await load(req)
        let me = try openMember(req, user, l)
        let t = req.t
        var error: String?
        let nominee = UUID(uuidString: NominationController.field(req, "nominee", 40)).flatMap { l.nominees[$0] }
        if me.voted { error = t("council.error.alreadyVoted") }
        else if nominee == nil { error = t("council.error.nominee") }
        let reason = try? FieldRules.name(NominationController.field(req, "reason", 500), max: 500).get()
        if error == nil, reason == nil { error = t("council.error.recuseReason") }
        if error == nil, l.recusals.contains(where: { $0.$user.id == user.id && $0.$nominee.id == nominee?.id }) { error = t("council.error.recusedTwice") }
        guard error == nil, let nominee, let reason else { return try await page(req, user, l, error: error, status: .unprocessableEntity) }
        let r = CouncilRecusal()
        r.$session.id = try l.session.requireID()
        r.$user.id = user.id
        r.$nominee.id = try nominee.requireID()
        r.reason = reason
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let fresh = try await CouncilMember.find(me.id, on: tx), !fresh.voted else { throw AppError.refused(key: "council.error.alreadyVoted") }
            guard try await CouncilRecusal.query(on: tx).filter(\.$session.$id == r.$session.id).filter(\.$user.$id == r.$user.id)
                .filter(\.$nominee.$id == r.$nominee.id).count() == 0
            else { throw AppError.conflict }
            try await r.create(on: tx)
            audit.created(r)
        }
        return req.redirect(to: CouncilURL.session(try l.session.requireID()) + "?ok=saved")
    }

    /// The secret ballot: one choice for every nominee the member may vote on; the counters move and the member is
    /// marked as having voted, in one transaction. No row records the choices of a member.
    @Sendable static func ballot(req: Request) async throws -> Response {
        let user = try req.require(.voteAwards)
        let l = try await load(req)
        let me = try openMember(req, user, l)
        let t = req.t
        guard !l.session.isPaper else { throw AppError.refused(key: "council.paperOnly") }
        guard me.present else { return try await page(req, user, l, error: t("council.error.absent"), status: .unprocessableEntity) }
        guard !me.voted else { return try await page(req, user, l, error: t("council.error.alreadyVoted"), status: .conflict) }
        let onBallot = l.tallies.map(\.$nominee.id)
        let recused = Set(l.recusals.filter { $0.$user.id == user.id }.map(\.$nominee.id))
        var choices: [UUID: BallotChoice] = [:]
        for id in onBallot {
            if let c = BallotChoice(rawValue: NominationController.field(req, "n-" + id.uuidString, 10)) { choices[id] = c }
        }
        let problems = Ballot.problems(choices: choices, onBallot: onBallot, recused: recused)
        guard problems.isEmpty else {
            let names = problems.compactMap { p -> String? in
                switch p {
                case .missing(let id): l.nominees[id]?.holderName
                case .notAllowed(let id): l.nominees[id]?.holderName
                }
            }
            return try await page(req, user, l, error: t("council.error.ballot", names.joined(separator: ", ")), status: .unprocessableEntity)
        }
        let sid = try l.session.requireID()
        let memberID = try me.requireID()
        let choicesCopy = choices
        let userID = user.id
        try await req.db.writing(as: user.actor) { tx, audit in
            // Re-read under the write lock (writes are serialised): the session still open, the member not yet voted.
            guard let s = try await CouncilSession.find(sid, on: tx), s.isOpen else { throw AppError.refused(key: "council.closed") }
            guard let fresh = try await CouncilMember.find(memberID, on: tx), !fresh.voted else { throw AppError.refused(key: "council.error.alreadyVoted") }
            // A recusal committed since the page was read must not be outvoted by this ballot.
            let recusedNow = Set(try await CouncilRecusal.query(on: tx).filter(\.$session.$id == sid).filter(\.$user.$id == userID).all().map(\.$nominee.id))
            guard Ballot.problems(choices: choicesCopy, onBallot: onBallot, recused: recusedNow).isEmpty else { throw AppError.refused(key: "council.error.recusedSince") }
            let before = fresh.auditSnapshot
            fresh.voted = true
            try await fresh.update(on: tx)
            audit.updated(fresh, before: before)
            for tally in try await CouncilTally.query(on: tx).filter(\.$session.$id == sid).all() {
                guard let c = choicesCopy[tally.$nominee.id] else { continue }
                var v = tally.tally
                v.add(c)
                tally.tally = v
                try await tally.update(on: tx)
            }
        }
        return req.redirect(to: CouncilURL.session(sid) + "?ok=voted")
    }

    /// Paper ballots: the secretary enters each nominee's counts (at most the members present who may vote on it).
    @Sendable static func paper(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let l = try await load(req)
        let t = req.t
        guard l.session.isOpen else { throw AppError.refused(key: "council.closed") }
        guard l.session.isPaper else { throw AppError.refused(key: "council.onlineOnly") }
        var counts: [UUID: Tally] = [:]
        var errors: [String] = []
        for tally in l.tallies {
            let id = tally.$nominee.id
            let name = l.nominees[id]?.holderName ?? ""
            func int(_ k: String) -> Int? {
                let raw = NominationController.field(req, k + "-" + id.uuidString, 10).trimmingCharacters(in: .whitespaces)
                return raw.isEmpty ? 0 : Int(raw).flatMap { $0 >= 0 ? $0 : nil }
            }
            guard let y = int("y"), let n = int("no"), let a = int("a") else { errors.append(t("council.error.count", name)); continue }
            let recused = Set(l.recusals.filter { $0.$nominee.id == id }.map(\.$user.id))
            let presentNotRecused = l.members.filter { $0.present && !recused.contains($0.$user.id) }.count
            let v = Tally(yes: y, no: n, abstain: a)
            if !Ballot.paperCountFits(v, presentNotRecused: presentNotRecused) { errors.append(t("council.error.tooMany", name, String(presentNotRecused))) }
            counts[id] = v
        }
        guard errors.isEmpty else { return try await page(req, user, l, error: errors.joined(separator: " "), status: .unprocessableEntity) }
        let sid = try l.session.requireID()
        let snapshot = counts.map { ($0.key.uuidString, "\($0.value.yes)/\($0.value.no)/\($0.value.abstain)") }
        let entered = counts
        try await req.db.writing(as: user.actor) { tx, audit in
            guard let s = try await CouncilSession.find(sid, on: tx), s.isOpen else { throw AppError.refused(key: "council.closed") }
            for tally in try await CouncilTally.query(on: tx).filter(\.$session.$id == sid).all() {
                if let v = entered[tally.$nominee.id] {
                    tally.tally = v
                    try await tally.update(on: tx)
                }
            }
            // Paper counts are the secretary's record, not anyone's ballot: they go to the trail.
            audit.record(.update, type: "council_paper_count", id: sid.uuidString, before: nil, after: Dictionary(snapshot, uniquingKeysWith: { a, _ in a }))
        }
        return req.redirect(to: CouncilURL.session(sid) + "?ok=saved")
    }

    /// Closes the session: the counters are checked against the members marked as voted, each nominee gets its
    /// result, and their dossiers move to "voted". Results are in the trail.
    @Sendable static func close(req: Request) async throws -> Response {
        let user = try await SurveyAdminController.requireProvince(req, .manageAwards)
        let sid = try await load(req).session.requireID()
        let catalogue = try await AwardController.catalogue(on: req.db)
        try await req.db.writing(as: user.actor) { tx, audit in
            let l = try await load(req, on: tx)
            guard l.session.isOpen else { throw AppError.refused(key: "council.closed") }
            // A paper session closes once the secretary has entered every nominee's counts.
            if l.session.isPaper, l.tallies.contains(where: { $0.tally.total == 0 }) { throw AppError.refused(key: "council.error.countsMissing") }
            if !l.session.isPaper {
                // The counters add up to the members who voted (less those who recused from that nominee).
                let voted = Set(l.members.filter(\.voted).map(\.$user.id))
                for tally in l.tallies {
                    let recused = Set(l.recusals.filter { $0.$nominee.id == tally.$nominee.id }.map(\.$user.id))
                    guard tally.tally.total == voted.subtracting(recused).count else {
                        throw AppError.internalInconsistency("council tally \(tally.$nominee.id) does not match the members who voted")
                    }
                }
            }
            let results = outcomes(l, catalogue)
            let before = l.session.auditSnapshot
            l.session.state = "closed"
            try await l.session.update(on: tx)
            audit.updated(l.session, before: before)
            var dossiers: Set<UUID> = []
            var counts: [String: String] = [:]
            for tally in l.tallies {
                guard let x = l.nominees[tally.$nominee.id], let r = results[tally.$nominee.id] else { continue }
                tally.outcome = !r.quorum ? "no_quorum" : r.passed ? "passed" : "failed"
                tally.needed = r.needed
                try await tally.update(on: tx)
                counts[try x.requireID().uuidString] = "\(tally.yes)/\(tally.no)/\(tally.abstain) " + (tally.outcome ?? "")
                // Without a quorum (recusals can break it) there is no result: the nominee may go before a later session.
                guard r.quorum else { continue }
                let b = x.auditSnapshot
                x.result = r.passed ? "passed" : "failed"
                x.yesVotes = tally.yes
                try await x.update(on: tx)
                audit.updated(x, before: b)
                dossiers.insert(x.$nomination.id)
            }
            audit.record(.update, type: "council_result", id: sid.uuidString, before: nil, after: counts)
            try await NominationController.advance(dossiers, from: .underReview, to: .voted, when: { $0.result != nil }, on: tx, audit: audit)
        }
        return req.redirect(to: CouncilURL.session(sid) + "?ok=closed")
    }

    /// The minutes (biên bản) of a closed session, as DOCX.
    @Sendable static func minutes(req: Request) async throws -> Response {
        let user = try req.require(.viewAwards)
        let l = try await load(req)
        guard await mayView(req, user, l) else { throw AppError.forbidden }
        guard !l.session.isOpen else { throw AppError.refused(key: "council.notClosed") }
        let catalogue = try await AwardController.catalogue(on: req.db)
        let doc = OfficialDocuments.minutes(l, catalogue: catalogue, outcomes: outcomes(l, catalogue), province: try await OfficialDocuments.province(on: req.db))
        return OfficialDocuments.download(try doc.docx(), name: "bien-ban-hop-hoi-dong-" + l.session.heldOn + ".docx")
    }
}

extension AccessPolicy {
    static func permits(_ grants: [Grant], _ action: Action) -> Bool { grants.contains { permits($0.role, action) } }
}
