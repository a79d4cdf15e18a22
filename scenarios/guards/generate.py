#!/usr/bin/env python3
"""Write scenarios/guards/<code>.toml: for each guard of crates/quanze-case/data/guards.toml
that a scenario can reach, a case "refused" (the step refused with that code) and a case
"passes" (the same step, done lawfully, applied). The situations are those of
crates/quanze-case/tests/guards.rs, played on real seed items:

  list 002 (汤阴县) item 3   对定点医药机构基金使用一般违法行为的处罚 (条例 第三十八条: 1–2 倍)
  list 002 (汤阴县) item 10  对可能被转移、隐匿或者灭失的资料等予以封存 (行政强制)
  list 002 (汤阴县) item 11  对用人单位和个人遵守医疗保险法律、法规情况进行监督检查 (行政检查)
  list 001 (民勤县) item 3   举报人奖励 (行政奖励)
  list 003 (襄都区) 生育津贴申领 (行政给付)

Usage: python3 scenarios/guards/generate.py   (stdlib only; rewrites the files in place)
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
L002 = "../../data/seeds/002_986fb97279c273a7.txt"
L001 = "../../data/seeds/001_a8ecac8bae7c0f63.txt"
L003 = "../../data/seeds/003_53652f109c077542.txt"
PEN, COER, INSP = 3, 10, 11
REW = 3
SVC = "襄都区参保女职工生育津贴申领"
PEN3 = 1  # list 003 item 1, a penalty item (nothing_to_extend: a penalty decision limit to extend)

PEOPLE = {
    "张三": dict(role="officer", certificate="豫A0001"),
    "李四": dict(role="officer", certificate="豫A0002"),
    "刘五": dict(role="officer", certificate="豫A0003"),
    "无证": dict(role="officer"),
    "王局长": dict(role="leader"),
    "赵副局长": dict(role="leader"),
    "钱审核": dict(role="legal_reviewer"),
    "孙窗口": dict(role="clerk"),
}

FINE = dict(decision="penalty", fine_yuan=1500, base_yuan=1000)


def s(at, by, action, **keys):
    return dict(at=at, by=by, action=action, keys=keys)


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- set-ups (as in tests/guards.rs) ----------------------------------------------------------
def opened(party="unit", item=PEN):
    return [s("2026-03-02", "张三", "open", item=item, party=party)]


def concluded(party="unit"):
    return opened(party) + [
        s("2026-03-03", ["张三", "李四"], "register"),
        s("2026-03-04", ["张三", "李四"], "investigate", evidence=["书证"]),
        s("2026-03-05", ["张三", "李四"], "conclude"),
    ]


def notified():
    return concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=1500, base_yuan=1000)]


def served():
    return notified() + [
        s("2026-03-17", "王局长", "decide", **FINE),
        s("2026-03-17", "张三", "serve", method="direct"),
    ]


def coercion():
    return [s("2026-03-02", "张三", "open", item=COER, party="unit")]


def sealed():
    return coercion() + [
        s("2026-03-02", "王局长", "approve"),
        s("2026-03-03", ["张三", "李四"], "seal", scene_record="笔录1"),
    ]


def reward_published():
    return [
        s("2026-03-02", "孙窗口", "open", item=REW, party="individual"),
        s("2026-03-03", "张三", "review"),
        s("2026-03-04", "张三", "publish"),
    ]


def svc_open(**keys):
    return s("2026-03-02", "孙窗口", "open", item=SVC, party="individual", **keys)


# Each guard: articles (comment), title, list, optional people override, refused steps (the
# last ones, marked R, are the refusals), passes steps (the last one is the lawful step).
# A step is marked refused by wrapping it in R(...).
class R(dict):
    pass


def Rf(step):
    r = R(step)
    return r


G = {}


def guard(code, title, refused, passes, lst=L002, people=None, note=None):
    G[code] = dict(title=title, refused=refused, passes=passes, list=lst, people=people, note=note)


# Guards whose "refused" case the engine does not meet yet (engine bugs, see scenarios/README.md):
# their files go to scenarios/pending/ so that guards/ stays green.
PENDING = {"hearing_presider_investigator"}


guard("state_not_allowed", "线索核查阶段不能作出处罚决定",
      opened() + [Rf(s("2026-03-03", "王局长", "decide", **FINE))],
      notified() + [s("2026-03-17", "王局长", "decide", **FINE)],
      note="决定只能在调查终结、告知之后作出；线索核查阶段（未立案）作出决定被拒绝。")
guard("role_not_allowed", "法制审核须由法制审核人员或未承办本案的执法人员作出，窗口人员不能",
      concluded() + [Rf(s("2026-03-06", "孙窗口", "legal_review", opinion="同意"))],
      concluded() + [s("2026-03-06", "钱审核", "legal_review", opinion="同意")])
guard("post_not_held", "立案须由清单规定的立案岗人员办理",
      opened() + [Rf(s("2026-03-03", ["张三", "李四"], "register"))],
      opened() + [s("2026-03-03", ["张三", "刘五"], "register")],
      people={"张三": dict(role="officer", certificate="豫A0001", posts=["调查岗"]),
              "李四": dict(role="officer", certificate="豫A0002", posts=["调查岗"]),
              "刘五": dict(role="officer", certificate="豫A0003", posts=["立案岗"])},
      note="汤阴县清单第3项：「立案责任（立案岗）」。张三、李四只在调查岗。")
guard("time_order", "记录只能按时间顺序追加",
      [s("2026-03-02T10:00", "张三", "open", item=PEN, party="unit"),
       Rf(s("2026-03-02T09:00", ["张三", "李四"], "register"))],
      [s("2026-03-02T10:00", "张三", "open", item=PEN, party="unit"),
       s("2026-03-02T11:00", ["张三", "李四"], "register")])
guard("calendar_gap", "期限跨入没有节假日通知的年份（2027）时无法判断，而不是按周末猜测",
      [s("2026-12-01", "张三", "open", item=PEN, party="unit"),
       s("2026-12-02", ["张三", "李四"], "register"),
       s("2026-12-03", ["张三", "李四"], "conclude"),
       s("2026-12-30", ["张三", "李四"], "notify", fine_yuan=1500, base_yuan=1000),
       Rf(s("2027-01-05", "张三", "request_hearing"))],
      notified() + [s("2026-03-10", "张三", "request_hearing")],
      note="12月30日告知后的5个工作日落入2027年，未载入2027年通知：听证申请是否逾期无法判断。")
guard("leader_required", "举报奖励由行政机关负责人批准",
      reward_published() + [Rf(s("2026-03-16", "张三", "approve", amount_yuan=1000))],
      reward_published() + [s("2026-03-16", "王局长", "approve", amount_yuan=1000)], lst=L001)
guard("officers_penalty", "立案调查须两名以上持有效执法证的执法人员",
      opened() + [Rf(s("2026-03-03", "张三", "register")),
                  Rf(s("2026-03-03", ["张三", "无证"], "register")),
                  Rf(s("2026-03-03", ["张三", "李四"], "register"))],
      opened() + [s("2026-03-03", ["张三", "刘五"], "register")],
      people={"李四": dict(role="officer", certificate="豫A0002", certificate_until="2026-03-02")},
      note="一人、一人无证、一人证件已于3月2日到期：均被拒绝。")
guard("officers_inspection", "监督检查人员不得少于2人",
      [s("2026-03-02", "张三", "open", item=INSP, party="unit"),
       Rf(s("2026-03-03", "张三", "inspect"))],
      [s("2026-03-02", "张三", "open", item=INSP, party="unit"),
       s("2026-03-03", ["张三", "李四"], "inspect")])
guard("officers_coercion", "封存须由两名以上执法人员实施",
      coercion() + [s("2026-03-02", "王局长", "approve"),
                    Rf(s("2026-03-03", "张三", "seal", scene_record="笔录1"))],
      coercion() + [s("2026-03-02", "王局长", "approve"),
                    s("2026-03-03", ["张三", "李四"], "seal", scene_record="笔录1")])
guard("scene_record_required", "实施封存应当制作现场笔录",
      coercion() + [s("2026-03-02", "王局长", "approve"),
                    Rf(s("2026-03-03", ["张三", "李四"], "seal"))],
      coercion() + [s("2026-03-02", "王局长", "approve"),
                    s("2026-03-03", ["张三", "李四"], "seal", scene_record="笔录1")])
guard("leader_approves_coercion", "实施行政强制措施前须向行政机关负责人报告并经批准",
      coercion() + [Rf(s("2026-03-02", "张三", "approve"))],
      coercion() + [s("2026-03-02", "王局长", "approve")])
guard("decline_reason", "不予立案须写明理由",
      opened() + [Rf(s("2026-03-03", "张三", "decline", reason=" "))],
      opened() + [s("2026-03-03", "张三", "decline", reason="违法事实不存在"),
                  s("2026-03-04", "王局长", "close")])
guard("evidence_kind", "证据须为行政处罚法第四十六条所列种类",
      opened() + [s("2026-03-03", ["张三", "李四"], "register"),
                  Rf(s("2026-03-04", ["张三", "李四"], "investigate", evidence=["书证", "传闻"])),
                  Rf(s("2026-03-04", ["张三", "李四"], "investigate"))],
      opened() + [s("2026-03-03", ["张三", "李四"], "register"),
                  s("2026-03-04", ["张三", "李四"], "investigate", evidence=["书证", "electronic", "现场笔录"])])
guard("notice_before_decision", "作出处罚决定前须告知拟处罚的事实、理由、依据和权利",
      concluded() + [Rf(s("2026-03-20", "王局长", "decide", **FINE))],
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=1500, base_yuan=1000),
                     s("2026-03-20", "王局长", "decide", **FINE)])
guard("statement_window_open", "陈述申辩、听证申请期未届满前不得作出决定",
      notified() + [Rf(s("2026-03-16", "王局长", "decide", **FINE))],
      notified() + [s("2026-03-17", "王局长", "decide", **FINE)],
      note="3月9日（周一）告知，5个工作日至3月16日；3月16日当天决定被拒绝，3月17日可以。")
guard("hearing_request_late", "听证须在告知后5个工作日内提出",
      notified() + [Rf(s("2026-03-17", "张三", "request_hearing"))],
      notified() + [s("2026-03-16", "张三", "request_hearing")],
      note="3月9日（周一）告知：第5个工作日是3月16日（周一），3月17日已逾期。按日历日计算会得出3月14日（周六）。")
guard("hearing_not_requested", "当事人未要求听证的不举行听证",
      notified() + [Rf(s("2026-03-12", "刘五", "hold_hearing", presider="刘五"))],
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    s("2026-03-25", "刘五", "hold_hearing", presider="刘五")])
guard("hearing_not_held", "当事人按时要求听证的，听证结束前不得作出决定",
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    Rf(s("2026-03-20", "王局长", "decide", **FINE))],
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    s("2026-03-25", "刘五", "hold_hearing", presider="刘五"),
                    s("2026-03-26", "钱审核", "legal_review", opinion="同意"),
                    s("2026-03-26", "王局长", "decide", **FINE)],
      note="听证后须法制审核（行政处罚法第五十八条第一款第二项）。")
guard("hearing_presider_required", "听证须指定主持人",
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    Rf(s("2026-03-25", "刘五", "hold_hearing"))],
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    s("2026-03-25", "刘五", "hold_hearing", presider="刘五")])
guard("hearing_presider_investigator", "听证主持人不得是本案调查人员",
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    Rf(s("2026-03-25", "刘五", "hold_hearing", presider="张三"))],
      notified() + [s("2026-03-12", "张三", "request_hearing"),
                    s("2026-03-25", "刘五", "hold_hearing", presider="刘五")],
      note="PENDING（引擎缺陷）：场景的 presider 是姓名，守卫却把它与调查人员的人员 id（存储中的编号）比较，"
           "调查人员张三主持听证被办理（第7步 applied）。依法应拒绝。")
guard("reviewer_is_handler", "法制审核人员不得是本案承办人",
      concluded() + [Rf(s("2026-03-06", "张三", "legal_review", opinion="同意"))],
      concluded() + [s("2026-03-06", "刘五", "legal_review", opinion="同意")])
BIG = dict(decision="penalty", fine_yuan=150000, base_yuan=100000)
guard("legal_review_required", "重大案件（罚款达到地方标准）决定前须经法制审核且审核通过",
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=150000, base_yuan=100000),
                     s("2026-03-10", ["王局长", "赵副局长"], "discuss"),
                     Rf(s("2026-03-17", "王局长", "decide", **BIG)),
                     s("2026-03-17", "钱审核", "legal_review", opinion="不同意，继续调查"),
                     Rf(s("2026-03-17", "王局长", "decide", **BIG))],
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=150000, base_yuan=100000),
                     s("2026-03-10", ["王局长", "赵副局长"], "discuss"),
                     s("2026-03-17", "钱审核", "legal_review", opinion="同意"),
                     s("2026-03-17", "王局长", "decide", **BIG)],
      note="对单位罚款15万元，达到默认地方标准（汕尾，单位10万元）；审核意见“不同意”不算通过。")
guard("discussion_attendees", "集体讨论须有两名以上负责人参加",
      concluded() + [Rf(s("2026-03-06", ["王局长", "张三"], "discuss"))],
      concluded() + [s("2026-03-06", ["王局长", "赵副局长", "张三"], "discuss")])
MAJOR = opened() + [s("2026-03-03", ["张三", "李四"], "register"),
                    s("2026-03-05", ["张三", "李四"], "conclude", major=True),
                    s("2026-03-06", "钱审核", "legal_review", opinion="同意"),
                    s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=1500, base_yuan=1000)]
guard("discussion_required", "情节复杂或重大违法行为给予较重处罚的，须经负责人集体讨论",
      MAJOR + [Rf(s("2026-03-17", "王局长", "decide", **FINE))],
      MAJOR + [s("2026-03-17", ["王局长", "赵副局长"], "discuss", conclusion="同意处罚"),
               s("2026-03-17", "王局长", "decide", **FINE)])
guard("leader_decides", "处罚决定由行政机关负责人作出",
      notified() + [Rf(s("2026-03-17", "张三", "decide", **FINE))],
      notified() + [s("2026-03-17", "王局长", "decide", **FINE)])
guard("fine_above_notified", "不得因当事人陈述申辩而加重处罚：决定的罚款不得高于告知的罚款",
      notified() + [Rf(s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=1800, base_yuan=1000))],
      notified() + [s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=1200, base_yuan=1000)])
guard("fine_outside_range", "罚款须在法定幅度内（条例第三十八条：造成损失金额1倍以上2倍以下）",
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=5000, base_yuan=1000),
                     Rf(s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=5000, base_yuan=1000)),
                     Rf(s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=999, base_yuan=1000))],
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=5000, base_yuan=1000),
                     s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=2000, base_yuan=1000)],
      note="损失1000元：幅度1000–2000元；5000元、999元均超出幅度。")
guard("fine_base_missing", "按倍数计罚的条款须给出计罚基数（损失金额）",
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=1500),
                     Rf(s("2026-03-17", "王局长", "decide", decision="penalty", fine_yuan=1500))],
      concluded() + [s("2026-03-09", ["张三", "李四"], "notify", fine_yuan=1500),
                     s("2026-03-17", "王局长", "decide", **FINE)])
guard("simple_procedure_limit", "简易程序（当场处罚）限于对公民200元以下、对法人或其他组织3000元以下罚款",
      opened("individual") + [Rf(s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=200.01))],
      opened("individual") + [s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=200)])
guard("electronic_service_consent", "电子送达须经当事人同意",
      notified() + [s("2026-03-17", "王局长", "decide", **FINE),
                    Rf(s("2026-03-18", "张三", "serve", method="electronic"))],
      notified() + [s("2026-03-17", "王局长", "decide", **FINE),
                    s("2026-03-18", "张三", "serve", method="electronic", consent=True)])
guard("payment_to_bank", "罚缴分离：罚款缴至指定银行，执法人员不得自行收缴",
      served() + [Rf(s("2026-03-20", "张三", "pay", amount_yuan=1500, to="officer"))],
      served() + [s("2026-03-20", "张三", "pay", amount_yuan=1500, to="bank")])
guard("payment_exceeds_due", "缴纳金额不得超过应缴罚款（含加处罚款）",
      served() + [Rf(s("2026-03-20", "张三", "pay", amount_yuan=1500.01))],
      served() + [s("2026-03-20", "张三", "pay", amount_yuan=1000),
                  s("2026-03-21", "张三", "pay", amount_yuan=500)])
guard("on_spot_limit", "当场收缴限于100元以下的罚款",
      opened("individual") + [s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=150),
                              Rf(s("2026-03-02", "张三", "collect_on_spot", amount_yuan=150, receipt="票据001"))],
      opened("individual") + [s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=100),
                              s("2026-03-02", "张三", "collect_on_spot", amount_yuan=100, receipt="票据001")])
guard("on_spot_receipt", "当场收缴罚款须出具省级财政部门统一制发的专用票据",
      opened("individual") + [s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=50),
                              Rf(s("2026-03-02", "张三", "collect_on_spot", amount_yuan=50))],
      opened("individual") + [s("2026-03-02", ["张三", "李四"], "simple_decide", fine_yuan=50),
                              s("2026-03-02", "张三", "collect_on_spot", amount_yuan=50, receipt="票据002")])
guard("demand_too_early", "缴款期限（15日）届满前不得催告",
      served() + [Rf(s("2026-04-01", "张三", "demand"))],
      served() + [s("2026-04-02", "张三", "demand")],
      note="3月17日送达，15日至4月1日；4月1日仍在期限内。")
# 申请法院强制执行 (非诉执行) only after the periods for 复议 (60 days) and 诉讼 (6 months) have
# run out without the party paying (行政强制法 第五十三条): served 03-17, so from 09-18 on; the
# steps are dated accordingly (the engine does not check that period yet: see pending/).
guard("court_enforce_without_demand", "申请法院强制执行前须催告",
      served() + [Rf(s("2026-09-21", "王局长", "court_enforce"))],
      served() + [s("2026-09-21", "张三", "demand"),
                  s("2026-10-13", "王局长", "court_enforce")],
      note="3月17日送达；复议、诉讼期限（六个月）于9月17日届满后才能申请法院强制执行（行政强制法第五十三条），故日期在9月以后。")
guard("court_enforce_too_early", "催告书送达10日（工作日）后当事人仍未履行的，才可申请强制执行",
      served() + [s("2026-09-21", "张三", "demand"),
                  Rf(s("2026-10-12", "王局长", "court_enforce"))],
      served() + [s("2026-09-21", "张三", "demand"),
                  s("2026-10-13", "王局长", "court_enforce"),
                  s("2026-10-14", "王局长", "close")],
      note="9月21日催告；中秋9月25日至27日、国庆10月1日至7日放假，9月20日、10月10日调休上班：第10个工作日是10月12日，10月13日起可以申请。")
guard("close_not_executed", "处罚决定未执行完毕不得结案",
      served() + [Rf(s("2026-03-20", "王局长", "close"))],
      served() + [s("2026-03-20", "张三", "pay", amount_yuan=1500),
                  s("2026-03-21", "王局长", "close")])
guard("seal_not_active", "没有正在实施的封存，不能解除或延长",
      concluded() + [Rf(s("2026-03-06", "张三", "release_seal"))],
      opened() + [s("2026-03-03", ["张三", "李四"], "register"),
                  s("2026-03-04", ["张三", "李四"], "seal", scene_record="笔录1"),
                  s("2026-03-10", "张三", "release_seal")])
guard("seal_extension_once", "封存期限可延长一次，延长不超过30日",
      sealed() + [Rf(s("2026-03-30", "王局长", "extend_seal", days=31)),
                  s("2026-03-30", "王局长", "extend_seal", days=30),
                  Rf(s("2026-04-20", "王局长", "extend_seal", days=10))],
      sealed() + [s("2026-03-30", "王局长", "extend_seal", days=30)])
guard("seal_extension_needs_leader", "延长封存期限须经行政机关负责人批准",
      sealed() + [Rf(s("2026-03-30", "张三", "extend_seal", days=30))],
      sealed() + [s("2026-03-30", ["王局长", "张三"], "extend_seal", days=30)])
guard("pause_reason", "只有听证、公告、检测、检验、鉴定、专家评审等期间不计入办案期限",
      concluded() + [Rf(s("2026-03-06", "张三", "pause", reason="春节"))],
      concluded() + [s("2026-03-06", "张三", "pause", reason="鉴定")])
guard("pause_open", "已有未结束的中止计时，不能再次中止",
      concluded() + [s("2026-03-06", "张三", "pause", reason="鉴定"),
                     Rf(s("2026-03-07", "张三", "pause", reason="检验"))],
      concluded() + [s("2026-03-06", "张三", "pause", reason="鉴定"),
                     s("2026-03-09", "张三", "resume"),
                     s("2026-03-10", "张三", "pause", reason="检验")])
guard("no_pause", "没有中止计时，不能恢复计时",
      concluded() + [Rf(s("2026-03-06", "张三", "resume"))],
      concluded() + [s("2026-03-06", "张三", "pause", reason="专家评审"),
                     s("2026-03-16", "张三", "resume")])
guard("extension_needs_leader", "延长办案期限须经负责人批准",
      concluded() + [Rf(s("2026-05-20", "张三", "extend", days=30))],
      concluded() + [s("2026-05-20", "王局长", "extend", days=30)])
guard("extension_needs_discussion", "第二次延长办案期限须经集体讨论",
      concluded() + [s("2026-05-20", "王局长", "extend", days=30),
                     Rf(s("2026-06-21", "王局长", "extend", days=30))],
      concluded() + [s("2026-05-20", "王局长", "extend", days=30),
                     s("2026-06-21", ["王局长", "赵副局长"], "discuss"),
                     s("2026-06-21", "王局长", "extend", days=30)])
guard("extension_exhausted", "延长不得超过规定的天数和次数（30日，集体讨论后再60日）",
      concluded() + [Rf(s("2026-05-20", "王局长", "extend", days=31)),
                     s("2026-05-20", "王局长", "extend", days=30),
                     s("2026-06-20", ["王局长", "赵副局长"], "discuss", conclusion="继续延期"),
                     Rf(s("2026-06-21", "王局长", "extend", days=61)),
                     s("2026-06-21", "王局长", "extend", days=60),
                     Rf(s("2026-08-01", "王局长", "extend", days=1))],
      concluded() + [s("2026-05-20", "王局长", "extend", days=30)])
guard("nothing_to_extend", "没有可延长的期限（法定办理期限不能由机关自行延长）",
      [svc_open(), s("2026-03-02", "孙窗口", "accept"),
       Rf(s("2026-03-03", "王局长", "extend", days=5))],
      [s("2026-03-02", "张三", "open", item=PEN3, party="unit"),
       s("2026-03-03", ["张三", "李四"], "register"),
       s("2026-03-04", ["张三", "李四"], "conclude"),
       s("2026-05-20", "王局长", "extend", days=30)], lst=L003,
      note="行政给付事项受理后只有法定办理期限，不可延长；处罚案件的作出决定期限可以延长。")
guard("materials_list_required", "申请材料不齐全的，须一次性告知需要补正的全部内容",
      [Rf(svc_open(complete=False))],
      [svc_open(complete=False, missing=["病历资料"])], lst=L003)
guard("materials_once", "补正材料只能一次性告知，不得多次要求补正",
      [svc_open(complete=False, missing=["病历资料"]),
       Rf(s("2026-03-05", "孙窗口", "request_materials", missing=["身份证"]))],
      [svc_open(), s("2026-03-02", "孙窗口", "request_materials", missing=["出生医学证明"])], lst=L003)
guard("reject_reason", "不予受理须说明理由",
      [svc_open(), Rf(s("2026-03-02", "孙窗口", "reject"))],
      [svc_open(), s("2026-03-02", "孙窗口", "reject", reason="不属于本机关职权范围"),
       s("2026-03-02", "孙窗口", "close")], lst=L003)
guard("deny_reason", "不予批准须说明理由",
      [svc_open(), s("2026-03-02", "孙窗口", "accept"), s("2026-03-03", "孙窗口", "review"),
       Rf(s("2026-03-04", "孙窗口", "deny"))],
      [svc_open(), s("2026-03-02", "孙窗口", "accept"), s("2026-03-03", "孙窗口", "review"),
       s("2026-03-04", "孙窗口", "deny", reason="不符合享受条件")], lst=L003)
guard("reward_bounds", "举报奖励不低于200元、不超过20万元",
      reward_published() + [Rf(s("2026-03-16", "王局长", "approve", amount_yuan=199.99)),
                            Rf(s("2026-03-16", "王局长", "approve", amount_yuan=200000.01)),
                            Rf(s("2026-03-16", "王局长", "approve"))],
      reward_published() + [s("2026-03-16", "王局长", "approve", amount_yuan=200000)], lst=L001)
guard("award_differs_from_decision", "发放金额须与奖励决定一致",
      reward_published() + [s("2026-03-16", "王局长", "approve", amount_yuan=1000),
                            Rf(s("2026-03-17", "张三", "award", amount_yuan=900))],
      reward_published() + [s("2026-03-16", "王局长", "approve", amount_yuan=1000),
                            s("2026-03-17", "张三", "award", amount_yuan=1000)], lst=L001)


def read_articles():
    path = os.path.join(HERE, "../../crates/quanze-case/data/guards.toml")
    arts, code = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("code = "):
            code = line.split('"')[1]
        elif line.startswith("articles = ") and code:
            inner = line[len("articles = "):].strip("[]")
            arts[code] = [a.strip().strip('"') for a in inner.split(",") if a.strip()]
    return arts


def render(code, g, articles):
    out = []
    arts = "、".join(articles) if articles else "（无条文：程序性规则）"
    out.append(f"# 依据：{arts}")
    if g["note"]:
        out.append(f"# {g['note']}")
    out.append(f"# 案件 refused：该步骤被拒绝（{code}）；案件 passes：同一步骤依法办理，予以办理。")
    out.append(f"# Generated by scenarios/guards/generate.py from the situations of crates/quanze-case/tests/guards.rs.")
    out.append(f"title = {toml_value('守卫 ' + code + '：' + g['title'])}")
    out.append(f"list = {toml_value(g['list'])}")
    out.append(f'now = {toml_value(max(st["at"][:10] for st in g["refused"] + g["passes"]))}')
    people = dict(PEOPLE)
    if g["people"]:
        people.update(g["people"])
    for name, p in people.items():
        out.append("")
        out.append(f'[people."{name}"]')
        for k in ("role", "posts", "certificate", "certificate_until"):
            if k in p:
                out.append(f"{k} = {toml_value(p[k])}")
    for case in ("refused", "passes"):
        for st in g[case]:
            out.append("")
            out.append("[[step]]")
            out.append(f"at = {toml_value(st['at'])}")
            out.append(f"by = {toml_value(st['by'])}")
            out.append(f'case = "{case}"')
            out.append(f"action = {toml_value(st['action'])}")
            for k, v in st["keys"].items():
                out.append(f"{k} = {toml_value(v)}")
            if isinstance(st, R):
                out.append('expect = "refused"')
                out.append(f'expect_code = "{code}"')
            else:
                out.append('expect = "applied"')
    return "\n".join(out) + "\n"


def main():
    articles = read_articles()
    for code, g in G.items():
        if code not in articles:
            raise SystemExit(f"unknown guard code {code}")
        folder = os.path.join(HERE, "../pending") if code in PENDING else HERE
        stale = os.path.join(HERE if code in PENDING else os.path.join(HERE, "../pending"), code + ".toml")
        if os.path.exists(stale):
            os.remove(stale)
        with open(os.path.join(folder, code + ".toml"), "w", encoding="utf-8") as f:
            f.write(render(code, g, articles[code]))
    missing = sorted(set(articles) - set(G))
    print(f"wrote {len(G)} files; guards without a scenario: {', '.join(missing)}")


if __name__ == "__main__":
    main()
