"""What the demo's people write: notes, reasons and comments, as staff and citizens in a Boshan
hall would put them. The history draws from these with its seeded generator."""
from __future__ import annotations

# What the one-time notice (一次性告知) adds to a missing material, beside the catalogue's line
# on how to obtain it (None: that line alone).
NOTICE_LINES = (
    "请补交原件，复印件当场核对",
    "复印件须清晰完整，请重新提供",
    "原件已过有效期，请补交有效的材料",
    "须本人签字确认后补交",
    None,
    None,
)
NOTICE_NOTES = (
    "已当面告知申请人需补正的全部材料",
    "已电话告知申请人，补齐后可在小程序中提交",
    None,
)
REJECT_REASONS = (
    "申请人不符合该事项的申请条件",
    "该事项不属于本场所受理范围，已引导至区政务服务中心办理",
    "申请人户籍不在本辖区，已告知到户籍所在地办理",
)
PROGRESS_NOTES = (
    "已将材料报送主管部门审核",
    "主管部门已受理，正在审核",
    "已与主管部门沟通，等待审批结果",
    "已电话告知申请人当前办理进度",
    "审核中发现材料信息需核实，已联系申请人确认",
)
TASK_NOTES = (
    "本部门环节已办结",
    "已出具办理结果，转下一环节",
    "已完成审核并反馈牵头部门",
)
COMPLETION_NOTES = (
    "已办结，结果已告知申请人",
    "已办结，证照已制作完成",
    None,
)
ESCALATIONS = (
    "涉及多个部门，材料要求口径不一致，需协调统一",
    "主管部门审核周期较长，可能超出承诺时限，请协调加快",
    "申请人历史档案缺失，需相关部门协助调档",
    "系统数据未同步，部门间无法共享申请信息",
)
RESOLUTIONS = (
    "已召开协调会议，明确由牵头部门统一材料口径",
    "已与主管部门协调，安排专人加快审核",
    "已协调档案部门调取档案，问题已解决",
    "已联系系统运维部门完成数据同步",
)
GOOD_COMMENTS = (
    "工作人员很耐心，一次就办好了",
    "全程代办，省了不少跑腿",
    "服务热情，讲解清楚",
    "比预想的快，点赞",
    None,
    None,
)
FAIR_COMMENTS = (
    "办得还行，就是等的时间有点长",
    "材料要求可以提前说得更清楚些",
    None,
)
BAD_COMMENTS = (
    "来回跑了好几趟，材料一次没说清楚",
    "等了很久没人处理",
    "办理进度没人通知，打电话也问不到",
    "工作人员态度一般",
)
FOLLOWUP_CALLBACKS = (
    "已电话回访申请人，当面致歉并说明情况",
    "已上门回访，申请人表示理解",
    "已电话回访，申请人对处理结果表示认可",
)
FOLLOWUP_FIXES = (
    "已在窗口张贴该事项完整材料清单，杜绝多次告知",
    "已调整岗位安排，高峰时段增派帮办代办员",
    "办理进度每个环节均通过订阅消息告知申请人",
    "已组织窗口人员开展服务规范培训",
)
BOOKING_NOTES = (
    "带老人一起来，需要轮椅",
    "下班后过来办理",
    "第一次办理，不清楚需要哪些材料",
    None, None, None, None, None,
)
SPECIAL_GROUPS = ("老年人", "残疾人", "军人")

# Why a 代办 applicant ends the commission (终止).
TERMINATION_REASONS = ("已自行到窗口办理", "不再需要办理此事项", "委托家人另行办理", "外出务工，暂不办理")

# 特别程序 (the legal clock): why each kind was started, and how one ended; why time was added.
SUSPENSION_REASONS = {
    "inspection": "样品送区市场监管局检验", "expert_review": "组织专家对方案进行评审",
    "hearing": "涉及申请人重大利益，依申请组织听证", "survey": "需到现场勘查",
}
SUSPENSION_RESULTS = ("检验合格，恢复办理", "评审通过", "勘查完毕", None)
EXTENSION_REASONS = ("需征求相关部门意见", "材料涉及多个部门会商", "需补充现场核查")

# 咨询: (place, item, question, answer or None, the agent who answers, working days before the
# end it was asked, hours it took to answer (None: still open)).
CONSULTATIONS = (
    ("BS-HALL", "SB-001", "灵活就业人员参加城乡居民养老保险需要带哪些材料？",
     "请携带本人居民身份证原件，在人社窗口填写参保登记表即可，无需其他材料。", "agent1", 6, 2.0),
    ("BS-HALL", "SB-001", "参保登记可以让家人代办吗？",
     "可以。代办人须携带参保人和本人的身份证原件，也可在小程序中申请“亲友代办”。", "agent1", 5, 20.0),
    ("BS-HALL", "JY-002", "失业登记后多久可以领取失业保险金？",
     "失业登记并审核通过后，一般在次月起按月发放，具体以审核结果为准。", "agent1", 4, 40.0),
    ("BS-CD", "FL-001", "低保申请需要准备哪些家庭收入证明？",
     "请准备家庭成员的收入证明或无收入声明，以及银行流水，可先到窗口领取告知单。", "agent3", 3, 3.0),
    ("BS-CD", "JY-002", "城东街道能办理失业登记吗？",
     "可以，城东街道便民服务中心人社窗口可办理，请携带身份证。", "agent4", 2, 1.0),
    ("BS-HALL", "SB-001", "养老保险缴费档次可以中途调整吗？", None, None, 3, None),
    ("BS-HALL", "JY-002", "周末可以预约办理失业登记吗？", None, None, 0, None),
)
# Published to the FAQ by the hall's manager: indexes into CONSULTATIONS.
FAQ_FROM = (0, 1)
SERVICE_LANGUAGE = (
    "博山区政务服务大厅服务规范用语",
    "一、迎接：“您好，请问您要办理什么业务？”\n"
    "二、引导：“请这边走，我带您到××窗口办理。”\n"
    "三、告知：“您还需要补充以下材料，我把清单写给您。”\n"
    "四、等候：“请您稍等，马上为您办理。”\n"
    "五、送别：“请收好您的材料，慢走。”\n"
    "忌用语：“不知道”“不归我管”“明天再来”。",
)
# The hall guide's floor: (kind, outcome, item or None) logged each working day of the last ones.
FLOOR_QUESTIONS = (
    ("where", "resolved", None), ("materials", "referred", "SB-001"),
    ("booking", "resolved", None), ("process", "referred", "JY-002"),
    ("time", "resolved", "SB-001"), ("materials", "resolved", "JY-001"),
)
# (author, title, body, answer or None)
SUGGESTIONS = (
    ("agent2", "企业开办材料清单建议统一格式",
     "各部门的材料清单格式不一，群众容易漏带，建议由区政务服务管理办统一模板。",
     "已采纳，下月起统一使用新版材料清单模板。"),
    ("agent1", "建议在大厅入口增设帮办代办指引牌",
     "不少群众不知道有帮办代办服务，建议在入口和取号机旁增设指引牌。", None),
)
