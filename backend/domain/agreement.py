"""The standard commission agreement (委托代办协议). A new wording gets a new version; a case
records the version its applicant accepted."""

AGREEMENT_VERSION = "2026.1"

AGREEMENT_TEXT = """博山区政务服务委托代办协议（{version}版）

委托人（申请人）：{applicant}
受托人：博山区政务服务帮办代办员（{place}）
委托事项：{item}（办件编号 {number}）

一、委托范围。委托人自愿委托受托人代为办理上述政务服务事项，包括代为递交申请材料、跟踪审批进度、领取办理结果。受托人不得超出本协议范围办理其他事项，不得代委托人作出放弃权利等处分。

二、无偿服务。帮办代办服务一律免费。除法律、法规明确规定必须由委托人交纳的费用（本事项：{fee}）外，受托人及其所在单位不以任何名义收取费用。

三、材料交接。双方当面清点材料，逐项登记名称、份数以及原件或复印件，由双方签字（或在小程序中确认）。受托人妥善保管全部材料，仅用于本事项的办理，不复制、不外借、不泄露其中的个人信息。

四、原件退还。事项办结后，受托人应及时通知委托人，并将全部原件连同办理结果当面交还，由委托人签收；委托人也可书面指定他人代为签收。

五、办理时限。受托人督促审批部门在承诺时限内办结；遇材料需补正或审批中出现问题，应及时告知委托人。

六、终止委托。委托人可在事项办结前随时通过小程序撤回申请或向服务窗口书面提出终止委托；受托人应在终止之日起归还已交接的全部材料。因委托人提供材料不实导致无法办理的，受托人可终止委托并说明理由。

七、其他。本协议自委托人确认（或签字）之日起生效，至原件退还完毕时终止。对服务有意见或建议的，可通过“好差评”或拨打服务窗口电话反映。
"""


def agreement_text(*, applicant: str, place: str, item: str, number: str, fee: str | None) -> str:
    return AGREEMENT_TEXT.format(version=AGREEMENT_VERSION, applicant=applicant, place=place,
                                 item=item, number=number, fee=fee or "无")
