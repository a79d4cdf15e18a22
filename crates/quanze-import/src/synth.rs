//! A generator of synthetic lists, for benchmarks and load tests: realistic cell sizes and
//! wording (drawn from the shapes of the seed lists), any number of items, deterministic
//! for a given seed.

const PLACES: [&str; 12] = [
    "涞源县",
    "民勤县",
    "汤阴县",
    "襄都区",
    "阜平县",
    "临城县",
    "永登县",
    "滑县",
    "内黄县",
    "信都区",
    "易县",
    "古浪县",
];

const POWERS: [(&str, &str, &str); 8] = [
    (
        "行政处罚",
        "对定点医药机构骗取医疗保障基金支出的处罚",
        "《医疗保障基金使用监督管理条例》第四十条：定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款。",
    ),
    (
        "行政处罚",
        "对用人单位不办理医疗保险登记的处罚",
        "【法律】《中华人民共和国社会保险法》（2018年12月修正）第八十四条：用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正；逾期不改正的，对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款。",
    ),
    (
        "行政检查",
        "对纳入基本医疗保险基金支付范围的医疗服务行为和医疗费用的监督检查",
        "《中华人民共和国基本医疗卫生与健康促进法》第八十七条；《医疗保障基金使用监督管理条例》第二十七条。",
    ),
    (
        "行政强制",
        "对可能被转移、隐匿或者灭失的医疗保障基金相关资料予以封存",
        "《医疗保障基金使用监督管理条例》第二十七条第（五）项：对可能被转移、隐匿或者灭失的资料等予以封存。",
    ),
    (
        "行政给付",
        "医疗救助对象手工（零星）报销",
        "《社会救助暂行办法》第三十条：申请医疗救助的，应当向乡镇人民政府、街道办事处提出，经审核、公示后，由县级人民政府医疗保障部门审批。",
    ),
    (
        "行政确认",
        "基本医疗保险参保人员享受门诊慢特病病种待遇认定",
        "《关于印发基本医疗保险门诊慢特病管理办法的通知》全文。",
    ),
    (
        "行政奖励",
        "对举报欺诈骗取医疗保障基金行为的举报人的奖励",
        "《医疗保障基金使用监督管理条例》第三十五条：对查证属实的举报，按照国家有关规定给予举报人奖励。",
    ),
    (
        "其他行政权力",
        "异地长期居住人员备案",
        "《国家医保局、财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》全文。",
    ),
];

const STAGES_PENALTY: &str = "1.立案责任：对检查中发现、群众举报投诉或经有关部门移送的违法案件予以审查，决定是否立案。2.调查责任：对立案的案件，指定专人负责，及时组织调查取证，执法人员不得少于两人，调查时应出示执法证件。3.审查责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度等方面进行审查，提出处理意见。4.告知责任：作出行政处罚决定前，应制作《行政处罚告知书》送达当事人，告知违法事实及其享有的陈述、申辩等权利。5.决定责任：制作行政处罚决定书，载明行政处罚种类、依据、履行方式、期限、救济途径等内容。6.送达责任：行政处罚决定书按法律规定的方式送达当事人。7.执行责任：依照生效的行政处罚决定，予以处罚。8.其他法律法规规章文件规定应履行的责任。";
const STAGES_SERVICE: &str = "1.受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理（不予受理的应当告知理由）。2.审核责任：对申请材料进行审核，提出审核意见。3.决定责任：作出决定，不予支付的告知理由。4.事后监管责任：加强待遇支付的跟踪监督管理。5.其他法律法规规章文件规定应履行的责任。";
const CLAUSES: &str = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.没有法律和事实依据实施行政行为的；2.行政行为显失公正的；3.执法人员玩忽职守，对应当予以制止和处罚的违法行为不予制止、处罚，致使医疗保障基金损失的；4.违反法定程序的；5.在办理过程中发生腐败行为的；6.其他违反法律法规规章文件规定的行为。";

/// The header every generated list uses (the 12-column layout of seed 001).
pub const HEADER: &str = "序号\t事项名称\t子项名称\t权力类型\t地方权力编码\t子项地方权力编码\t行使主体\t承办机构\t实施依据\t责任事项内容\t追责情形\t备注";

/// A tab-separated list of `items` items with the header repeated every 50 rows, as
/// published lists do. `progress` is called with the number of items written so far.
pub fn generate(items: usize, seed: u64, mut progress: impl FnMut(usize)) -> String {
    let mut out = String::with_capacity(items * 1600 + 256);
    out.push_str("某市医疗保障局权责清单（synthetic, 共");
    out.push_str(&items.to_string());
    out.push_str("项）\n\n");
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        // xorshift: deterministic and dependency-free; quality is irrelevant here.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..items {
        if i.is_multiple_of(50) {
            out.push_str(HEADER);
            out.push('\n');
        }
        let r = next();
        let (cat, name, basis) = POWERS[(r % POWERS.len() as u64) as usize];
        let place = PLACES[((r >> 8) % PLACES.len() as u64) as usize];
        let stages =
            if cat == "行政处罚" || cat == "行政强制" { STAGES_PENALTY } else { STAGES_SERVICE };
        let segment = match cat {
            "行政处罚" => "02",
            "行政强制" => "03",
            "行政给付" => "05",
            "行政检查" => "06",
            "行政确认" => "07",
            "行政奖励" => "08",
            _ => "10",
        };
        let code = format!("11620621MB17655583462{segment}36{:03}{:03}", i % 1000, i / 1000 % 1000);
        let row = [
            (i + 1).to_string(),
            format!("{name}（{place}第{}项）", i + 1),
            String::new(),
            cat.to_string(),
            code,
            String::new(),
            format!("{place}医疗保障局"),
            "基金监管股".to_string(),
            basis.to_string(),
            stages.to_string(),
            CLAUSES.to_string(),
            String::new(),
        ];
        out.push_str(&row.join("\t"));
        out.push('\n');
        if (i + 1).is_multiple_of(1000) {
            progress(i + 1);
        }
    }
    progress(items);
    out
}
