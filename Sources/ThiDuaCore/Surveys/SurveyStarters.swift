import Foundation

/// Starter questionnaires a province copies and edits (they are templates, not rules in code): a SIPAS-style
/// citizen questionnaire over the five factors with facts, satisfaction and expectations, and the PAR-Index form in
/// which leaders of one kind of unit rate another (answers A–D weighted 100/60/20/0 %). The wording follows the
/// structure of the national SIPAS questionnaire (five factors; docs/surveys.md); it is not the official text.
public enum SurveyStarters {
    static let satisfaction: [AnswerOption] = [
        AnswerOption(code: "1", label: "Rất không hài lòng", satisfied: false),
        AnswerOption(code: "2", label: "Không hài lòng", satisfied: false),
        AnswerOption(code: "3", label: "Bình thường", satisfied: false),
        AnswerOption(code: "4", label: "Hài lòng", satisfied: true),
        AnswerOption(code: "5", label: "Rất hài lòng", satisfied: true),
    ]

    static func rate(_ code: String, _ text: String, _ factor: SIPASFactor) -> Question {
        Question(code: code, kind: .single, text: text, required: true, factor: factor, part: .satisfaction, options: satisfaction)
    }

    public static var sipas: Questionnaire {
        Questionnaire(
            code: "sipas-co-ban",
            title: "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
            intro: "Phiếu không ghi tên. Ý kiến của ông/bà giúp cơ quan phục vụ tốt hơn. Xin chọn một phương án cho mỗi câu.",
            questions: [
                Question(code: "kenh", kind: .single, text: "Ông/bà nộp hồ sơ bằng cách nào?", required: true, factor: .access, part: .facts, options: [
                    AnswerOption(code: "truc_tiep", label: "Trực tiếp tại Bộ phận Một cửa"),
                    AnswerOption(code: "truc_tuyen", label: "Trực tuyến trên Cổng Dịch vụ công"),
                    AnswerOption(code: "buu_chinh", label: "Qua dịch vụ bưu chính công ích"),
                ]),
                Question(code: "so_lan", kind: .single, text: "Ông/bà phải đi lại bao nhiêu lần để hoàn thành hồ sơ?", factor: .procedure, part: .facts,
                         options: [AnswerOption(code: "1", label: "1 lần"), AnswerOption(code: "2", label: "2 lần"),
                                   AnswerOption(code: "3", label: "3 lần trở lên")],
                         showIf: DisplayCondition(question: "kenh", anyOf: ["truc_tiep"])),
                rate("tiep_can", "Ông/bà hài lòng thế nào về nơi tiếp nhận và trả kết quả (chỗ ngồi, trang thiết bị, chỉ dẫn)?", .access),
                rate("cong_dvc", "Ông/bà hài lòng thế nào về việc nộp hồ sơ trên Cổng Dịch vụ công?", .access)
                    .showing(if: "kenh", ["truc_tuyen"]),
                rate("thu_tuc", "Ông/bà hài lòng thế nào về thủ tục hành chính (thành phần hồ sơ, phí, lệ phí, thời hạn được công khai và đúng quy định)?", .procedure),
                Question(code: "cong_chuc", kind: .matrix, text: "Ông/bà hài lòng thế nào về công chức tiếp nhận, giải quyết hồ sơ?", required: true,
                         factor: .official, part: .satisfaction, options: satisfaction, rows: [
                            MatrixRow(code: "thai_do", label: "Thái độ giao tiếp lịch sự, tôn trọng"),
                            MatrixRow(code: "huong_dan", label: "Hướng dẫn đầy đủ, dễ hiểu, một lần"),
                            MatrixRow(code: "tuan_thu", label: "Tuân thủ quy định, không gây phiền hà, nhũng nhiễu"),
                         ]),
                Question(code: "dung_hen", kind: .yesNo, text: "Ông/bà có nhận kết quả đúng hẹn không?", required: true, factor: .result, part: .facts),
                rate("ket_qua", "Ông/bà hài lòng thế nào về kết quả giải quyết (đúng quy định, thông tin chính xác)?", .result),
                Question(code: "da_gop_y", kind: .yesNo, text: "Ông/bà có gửi phản ánh, kiến nghị trong quá trình giải quyết không?", factor: .feedback, part: .facts),
                rate("xu_ly_gop_y", "Ông/bà hài lòng thế nào về việc tiếp nhận, xử lý và trả lời phản ánh, kiến nghị?", .feedback)
                    .showing(if: "da_gop_y", ["yes"]),
                Question(code: "mong_doi", kind: .multiple, text: "Ông/bà mong cơ quan cải thiện điều gì nhất?", part: .expectation, options: [
                    AnswerOption(code: "rut_gon", label: "Rút gọn thành phần hồ sơ"),
                    AnswerOption(code: "nhanh", label: "Rút ngắn thời gian giải quyết"),
                    AnswerOption(code: "truc_tuyen", label: "Làm được nhiều thủ tục trực tuyến hơn"),
                    AnswerOption(code: "thai_do", label: "Thái độ phục vụ của công chức"),
                    AnswerOption(code: "co_so", label: "Cơ sở vật chất nơi tiếp nhận"),
                ]),
                Question(code: "gop_y", kind: .longText, text: "Ý kiến khác của ông/bà (nếu có)", maxLength: 1000),
            ])
    }

    static let abcd: [AnswerOption] = [
        AnswerOption(code: "A", label: "A — Tốt", weight: Points(100)),
        AnswerOption(code: "B", label: "B — Khá", weight: Points(60)),
        AnswerOption(code: "C", label: "C — Trung bình", weight: Points(20)),
        AnswerOption(code: "D", label: "D — Kém", weight: Points(0)),
    ]

    /// Leaders of departments rate the communes (or the reverse) on the PAR content areas; the mean weight feeds
    /// the index's survey criteria.
    public static var leadersRating: Questionnaire {
        Questionnaire(
            code: "chi-so-cchc-lanh-dao",
            title: "Phiếu điều tra xã hội học phục vụ xác định Chỉ số cải cách hành chính (lãnh đạo đánh giá)",
            intro: "Xin ông/bà đánh giá theo thang A (Tốt), B (Khá), C (Trung bình), D (Kém).",
            questions: [
                Question(code: "chi_dao", kind: .single, text: "Công tác chỉ đạo, điều hành cải cách hành chính", required: true, options: abcd),
                Question(code: "the_che", kind: .single, text: "Chất lượng văn bản quy phạm pháp luật do đơn vị tham mưu ban hành", required: true, options: abcd),
                Question(code: "tthc", kind: .single, text: "Công khai, minh bạch và giải quyết thủ tục hành chính", required: true, options: abcd),
                Question(code: "bo_may", kind: .single, text: "Tổ chức bộ máy hợp lý, rõ chức năng, nhiệm vụ", required: true, options: abcd),
                Question(code: "cong_vu", kind: .single, text: "Kỷ luật, kỷ cương và thái độ phục vụ của đội ngũ công chức", required: true, options: abcd),
                Question(code: "tai_chinh", kind: .single, text: "Quản lý, sử dụng tài chính công hiệu quả, đúng quy định", required: true, options: abcd),
                Question(code: "so_hoa", kind: .single, text: "Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động", required: true, options: abcd),
            ])
    }
}

extension Question {
    /// The same question, shown only when `question` was answered with one of `values`.
    func showing(if question: String, _ values: [String]) -> Question {
        var q = self
        q.showIf = DisplayCondition(question: question, anyOf: values)
        return q
    }
}
