"""The workspace's own words, in Chinese and English (one language per page)."""

from __future__ import annotations

WS_WORDS: dict[str, tuple[str, str]] = {
    "workspace": ("招商工作台", "Workspace"),
    "login": ("登录", "Log in"), "logout": ("退出登录", "Log out"), "username": ("用户名", "User name"),
    "password": ("密码", "Password"), "logged_in_as": ("当前用户", "Logged in as"),
    "login_failed": ("用户名或密码不正确。", "Wrong user name or password."),
    "locked": ("登录失败次数过多，该账号已暂时锁定，请 {minutes} 分钟后再试。",
               "Too many failed logins: this account is locked for {minutes} minutes."),
    "board": ("招商看板", "Pipeline board"), "leads": ("线索列表", "Leads"), "lead": ("线索", "Lead"),
    "new_lead": ("新建线索", "Start a lead"), "start_lead": ("发起招商线索", "Start a lead"),
    "audit": ("操作记录", "Audit log"), "import": ("导入台账", "Import a 台账"), "export_xlsx": ("导出 Excel", "Export to Excel"),
    "firm": ("企业", "Firm"), "firm_name": ("企业名称", "Firm name"), "credit_code": ("统一社会信用代码", "Credit code"),
    "segments": ("目标环节", "Segments"), "segment": ("环节", "Segment"), "chain": ("产业链", "Chain"),
    "district": ("区县/园区", "District"), "owner": ("负责人", "Owner"), "stage": ("阶段", "Stage"),
    "next_step": ("下一步", "Next step"), "due": ("截止日期", "Due"), "notes": ("备注", "Notes"), "note": ("备注", "Note"),
    "add_note": ("追加备注", "Add a note"), "history": ("阶段记录", "Stage history"), "visits": ("走访记录", "Visits"),
    "visit_date": ("走访日期", "Date"), "people": ("参加人员", "People"), "summary": ("纪要", "Summary"),
    "add_visit": ("记录走访", "Record a visit"), "save": ("保存", "Save"), "create": ("创建", "Create"),
    "overdue": ("已逾期", "Overdue"), "only_overdue": ("只看逾期", "Overdue only"), "all": ("全部", "All"),
    "filter": ("筛选", "Filter"), "light": ("灯色", "Light"), "reasons": ("原因", "Reasons"),
    "light_red": ("红灯", "red"), "light_yellow": ("黄灯", "yellow"), "light_green": ("绿灯", "green"),
    "when": ("时间", "When"), "who": ("操作人", "Who"), "action": ("操作", "Action"), "entity": ("对象", "Entity"),
    "before": ("修改前", "Before"), "after": ("修改后", "After"), "reason": ("原因", "Reason"),
    "since": ("起始日期", "Since"), "user": ("用户", "User"),
    "active_leads": ("在谈线索", "Active leads"), "pipeline_effect": ("在谈项目的效果",
                                                                    "The pipeline's effect"),
    "effect_intro": ("假设所有签约及以后阶段的线索全部落地：", "If every lead at 签约 (signed) or later lands:"),
    "effect_none": ("目前没有签约及以后阶段的线索。", "No lead is at 签约 (signed) or later yet."),
    "gaps_closed": ("补上的缺口", "Gaps closed"), "singles_strengthened": ("加强的单点", "Single points strengthened"),
    "chokepoints_relieved": ("缓解的卡点", "Chokepoints relieved"),
    "corrections": ("修正图谱（编辑）", "Correct the graph (editor)"), "place": ("放入环节", "Place in a segment"),
    "unplace": ("移出环节", "Remove from segment"), "mark_local": ("标为本地企业", "Mark as local"),
    "mark_outside": ("标为外地企业", "Mark as outside"), "add_firm": ("新增企业", "Add a firm"),
    "attach_source": ("附加来源", "Attach a source"), "title": ("标题", "Title"), "url": ("网址", "URL"),
    "publisher": ("发布者", "Publisher"), "reliability": ("可靠性", "Reliability"), "why": ("依据说明（必填）", "Why (required)"),
    "local_firm": ("本地企业", "Local firm"), "version": ("版本", "Version"), "id": ("编号", "Id"),
    "no_leads": ("还没有线索。", "No leads yet."), "file": ("文件", "File"), "upload": ("上传", "Upload"),
    "import_done": ("已导入 {n} 条线索。", "{n} leads imported."),
    "import_failed": ("台账有 {n} 处问题，未导入任何线索：", "The 台账 has {n} problem(s); no lead was imported:"),
    "row": ("行", "Row"), "column": ("列", "Column"), "value": ("值", "Value"), "problem": ("问题", "Problem"),
    "hint": ("修改方法", "How to fix"), "error": ("无法完成", "Could not do that"), "back": ("返回", "Back"),
    "planned_start": ("计划开工", "Planned start"), "progress": ("实际进度(%)", "Progress (%)"),
    "planned_progress": ("计划进度(%)", "Planned progress (%)"), "funds_required": ("应到位资金(亿元)", "Funds required (亿元)"),
    "funds_paid": ("已到位资金(亿元)", "Funds paid (亿元)"), "conflict": ("保存冲突", "Save conflict"),
    "forbidden": ("没有权限", "Not allowed"), "users": ("用户", "Users"), "role": ("角色", "Role"),
    "intake": ("企业挂链审核", "Intake review"), "upload_list": ("上传企业名单", "Upload a firm list"),
    "proposals": ("建议环节", "Proposed segments"), "decision": ("决定", "Decision"), "accept": ("采纳", "accept"),
    "reject": ("不属于（记住）", "reject (remembered)"), "skip": ("暂不处理", "skip"), "other_segment": ("改为环节", "Other segment"),
    "apply_intake": ("写入图谱", "Apply"), "new_firm": ("新企业", "new firm"), "matched": ("已有企业", "existing firm"),
    "written": ("已写入", "Written"), "current_segments": ("已在环节", "Already in"), "evidence": ("依据", "Evidence"),
}

ROLE_WORDS = {"viewer": ("只读", "viewer"), "staff": ("招商人员", "staff"), "editor": ("编辑", "editor"),
              "admin": ("管理员", "admin")}
ACTION_WORDS = {
    "login": ("登录", "log in"), "logout": ("退出", "log out"), "login_failed": ("登录失败", "failed login"),
    "lead_create": ("新建线索", "lead created"), "lead_update": ("修改线索", "lead changed"),
    "visit_add": ("记录走访", "visit recorded"), "lead_import": ("导入线索", "lead imported"),
    "fact_place": ("放入环节", "placed in segment"), "fact_unplace": ("移出环节", "removed from segment"),
    "fact_local": ("修改本地/外地", "local/outside changed"), "fact_add_firm": ("新增企业", "firm added"),
    "fact_source": ("附加来源", "source attached"), "intake_upload": ("上传名单", "list uploaded"),
    "intake_reject": ("否决挂链建议", "proposal rejected"), "intake_apply": ("写入挂链结果", "intake applied"), "user_add": ("新增用户", "user added"),
    "user_disable": ("停用用户", "user disabled"), "user_enable": ("启用用户", "user enabled"),
    "user_reset_password": ("重置密码", "password reset"), "workspace_load": ("载入工作台数据", "workspace loaded"),
}


def ws_word(key: str, lang: str) -> str:
    zh, en = WS_WORDS.get(key) or ROLE_WORDS.get(key) or ACTION_WORDS.get(key) or (key, key)
    return zh if lang == "zh" else en

#: what a page in Chinese says for each error (the API and English pages give the English message)
ERROR_ZH: dict[str, str] = {
    "login_required": "请先登录。", "forbidden": "您的角色没有这项操作的权限。",
    "other_district": "这条线索不属于您负责的区县，只能由该区县的同事或编辑修改。",
    "csrf": "页面已过期（安全校验未通过），请刷新页面后重试。",
    "stale": "这条记录已被他人修改，您的修改没有保存。请刷新页面，查看对方的修改后再保存。",
    "not_found": "没有找到该记录。", "bad_stage": "阶段不正确：请选择 线索、接洽、走访、洽谈、签约、注册、开工、投产 或 终止。",
    "bad_segment": "环节不存在：请填写环节编号（见产业链页面）。", "bad_date": "日期格式不正确：请写成 年-月-日，如 2026-12-31。",
    "bad_number": "请填写数字。", "no_firm": "请填写企业名称或选择企业。",
    "bad_credit_code": "统一社会信用代码不正确：请复制 18 位代码，或留空。", "no_version": "缺少版本号，请刷新页面后重试。",
    "no_summary": "走访记录需要填写纪要。", "no_reason": "修正图谱需要填写依据说明。", "bad_kind": "未知的修正类型。",
    "exists": "该企业或用户已存在。", "bad_url": "来源网址只能是 http:// 或 https:// 链接。", "no_title": "来源需要标题。",
    "bad_reliability": "可靠性只能是 高、中 或 低。", "login_failed": "用户名或密码不正确。",
    "missing": "请填写用户名和密码。", "bad_body": "请求格式不正确。", "bad_json": "请求格式不正确。",
    "no_file": "请选择要上传的台账文件（xlsx、xls 或 csv）。", "bad_file": "台账文件必须是 xlsx、xls 或 csv。",
    "bad_district": "区县不存在：请填写区县编号或准确名称。",
}


def error_text(exc, lang: str) -> str:
    """A workspace error in the page's language (locked keeps its minutes; English: the message itself)."""
    if lang != "zh" or exc.code == "locked":
        return exc.message
    return ERROR_ZH.get(exc.code, exc.message)
