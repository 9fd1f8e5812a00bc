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
