// 由 tools/generate.ts 从服务端 /api/v1/openapi.json 生成，请勿手改；服务端接口变更后运行 npm run generate。
export interface paths {
    "/places": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 服务场所列表
         * @description 服务场所列表
         */
        get: operations["listPlaces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 事项列表
         * @description 事项列表
         */
        get: operations["listItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/items/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 事项编码
                 * @example SB-001
                 */
                code: string;
            };
            cookie?: never;
        };
        /**
         * 事项详情
         * @description 事项详情：材料清单、可办场所、协办部门
         */
        get: operations["getItem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/announcements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 当前公告
         * @description 当前公告：节假日服务时间、新增“5+X”服务等
         */
        get: operations["listAnnouncements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/wechat-login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 微信登录
         * @description 微信登录：用 wx.login 的 code 换取令牌。 演示模式仅在未设置任何微信变量（WECHAT_APPID、WECHAT_SECRET、WECHAT_TEMPLATES、
         *     WECHAT_API_BASE_URL）时开启：任意 code 对应一个固定的演示用户。设置了其中任何一个，演示登录
         *     即关闭；凭证不全（例如只设置了 WECHAT_APPID）时服务拒绝启动，不会退回演示模式。
         *
         *     同一网络地址的登录次数有上限（WECHAT_LOGIN_RATE_LIMIT，默认每分钟120次、每小时1200次），
         *     超过时返回 429 rate_limited，Retry-After 为需等待的秒数。
         */
        post: operations["wechatLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的信息
         * @description 我的信息（身份证号、手机号脱敏显示）
         */
        get: operations["getMe"];
        put?: never;
        /**
         * 修改个人信息（小程序用 POST）
         * @description 修改姓名、身份证号（同 PATCH /me；小程序的 wx.request 不支持 PATCH，请用此接口）
         */
        post: operations["saveMe"];
        delete?: never;
        options?: never;
        head?: never;
        /**
         * 修改个人信息
         * @description 修改姓名、身份证号
         */
        patch: operations["updateMe"];
        trace?: never;
    };
    "/me/phone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 绑定手机号
         * @description 绑定手机号：用手机号快速验证组件的 code 向微信换取号码。 仅在演示模式（未设置任何微信变量）下 code 即手机号；配置微信后一律向微信换取。
         */
        post: operations["bindPhone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/relatives": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的亲友
         * @description 我的亲友（可为已确认的亲友代为预约、申请）
         */
        get: operations["listRelatives"];
        put?: never;
        /**
         * 添加亲友
         * @description 添加亲友：亲友本人在小程序中确认，或到窗口由工作人员核验身份证和授权书后确认
         */
        post: operations["addRelative"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/relatives/{relative_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 亲友 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * 解除亲友关系
         * @description 解除亲友关系（双方均可；已办的预约和办件保留）
         */
        delete: operations["endRelative"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/authorisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 请求代我办理的授权
         * @description 请求代我办理的授权（按我的姓名和身份证号码）
         */
        get: operations["listAuthorisations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/authorisations/{relative_id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 授权请求 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 同意授权
         * @description 同意授权：对方此后可为我预约、申请
         */
        post: operations["acceptAuthorisation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/places/{code}/slots": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 场所编码
                 * @example BS-HALL
                 */
                code: string;
            };
            cookie?: never;
        };
        /**
         * 场所可预约时段
         * @description 场所仍可预约的时段（开始前30分钟截止；kind：regular 正常、extended 错时延时、weekend 周末、holiday 节假日）
         */
        get: operations["listSlots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的预约
         * @description 我的预约（新的在前）
         */
        get: operations["listMyBookings"];
        put?: never;
        /**
         * 预约时段
         * @description 预约一个时段（可为已确认的亲友代为预约：for）
         */
        post: operations["createBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{code}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 取消预约
         * @description 取消预约（开始前1小时以前）
         */
        post: operations["cancelBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bookings/{code}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 改约
         * @description 改约到同一场所的另一时段（新时段约上后才释放原时段）
         */
        post: operations["rescheduleBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的办件
         * @description 我的办件（新的在前）
         */
        get: operations["listMyCases"];
        put?: never;
        /**
         * 申请帮办或代办
         * @description 申请帮办或代办（可为已确认的亲友代为申请：for）
         */
        post: operations["createCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的企业的重点项目
         * @description 我的企业的重点项目：本人办件中的统一社会信用代码所属的重点项目及其全部办件
         */
        get: operations["listMyProjects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        /**
         * 办件详情
         * @description 办件详情：材料、一次性告知、部门任务、办理进度与评价
         */
        get: operations["getCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/supplement": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 补正材料
         * @description 补正材料（回到“已提交”，由帮办代办员再次审查）
         */
        post: operations["supplementMaterials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/agreement": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        /**
         * 委托代办协议全文
         * @description 委托代办协议全文（确认前展示给申请人）
         */
        get: operations["getAgreement"];
        put?: never;
        /**
         * 同意委托代办协议
         * @description 同意委托代办协议；材料交接与协议都完成后，代办员开始办理
         */
        post: operations["signAgreement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 撤回申请
         * @description 撤回申请（办结前；无请求体）
         */
        post: operations["withdrawCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/terminate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 终止代办委托
         * @description 终止代办委托（办结前；请求体可省略）；大厅保管的原件随后退还
         */
        post: operations["terminateCommission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        /**
         * 办件的文书
         * @description 我的文书：一次性告知书、受理凭证、材料交接单、委托书、特别程序告知书、终止单、材料返还单、办结单
         */
        get: operations["listCaseDocuments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/documents/{id}.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
                /**
                 * @description 文书 id（GET /cases/{number}/documents）
                 * @example 1
                 */
                id: number;
            };
            cookie?: never;
        };
        /**
         * 下载文书（PDF）
         * @description 下载文书（PDF，可打印）
         */
        get: operations["getCaseDocumentPdf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cases/{number}/review": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 评价办件
         * @description 评价（办结后一次）；1、2分的差评由场所管理员回访整改
         */
        post: operations["reviewCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 工作人员登录
         * @description 工作人员登录（连续5次密码错误，账号锁定15分钟：429 rate_limited；同一网络地址登录失败过多时，
         *     错误的密码也返回 429，正确的密码不受影响）
         */
        post: operations["staffLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 工作人员退出登录
         * @description 退出登录：本人的全部令牌与管理后台会话立即失效
         */
        post: operations["staffLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 当日预约签到名单
         * @description 某日（默认今天）我可查看的场所的预约，按时段开始时间排列：现场签到用（手机号脱敏）
         */
        get: operations["listStaffBookings"];
        put?: never;
        /**
         * 代为预约
         * @description 代为预约：为来电或到窗口的群众按其姓名、身份证号码预约时段（规则与群众自行预约相同，预约上限与爽约限制按身份证号码计）；预约码供念给对方或打印
         */
        post: operations["bookForPerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/bookings/{code}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 应预约人要求取消预约
         * @description 应预约人要求取消预约（本人所在场所的预约；与群众自行取消的时限相同）
         */
        post: operations["cancelForPerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/bookings/{code}/check-in": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 预约签到
         * @description 凭预约码签到（预约当天，开始前60分钟起至结束后30分钟内）
         */
        post: operations["checkInBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 工作人员可查看的办件
         * @description 我可以查看的办件（按承诺办结日期排序；可按状态、时限预警、场所筛选）
         */
        get: operations["listStaffCases"];
        put?: never;
        /**
         * 窗口受理办件
         * @description 窗口受理：为到窗口的申请人（可无小程序账号）创建帮办或代办办件，当面核验材料（齐全即受理，否则一次性告知）；代办可同时登记纸质委托协议和材料交接
         */
        post: operations["takeCaseAtWindow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        /**
         * 办件详情（工作人员）
         * @description 办件详情
         */
        get: operations["getStaffCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 指派帮办代办员
         * @description 指派帮办代办员（场所管理员；本场所任一登记备案的帮办代办员）
         */
        post: operations["assignCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/check": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 审查材料
         * @description 审查材料：齐全则受理并确定承诺办结日期；不全则一次性告知
         */
        post: operations["checkMaterials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 不予受理
         * @description 不予受理（须说明理由）
         */
        post: operations["rejectCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/handover": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 材料交接
         * @description 代办：材料交接（逐项登记份数、原件或复印件，申请人当面确认）
         */
        post: operations["handOverMaterials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/agreement": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 登记纸质委托协议
         * @description 代办：登记申请人已签署纸质委托代办协议
         */
        post: operations["recordPaperAgreement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/start": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 开始陪同办理
         * @description 帮办：开始陪同办理
         */
        post: operations["startCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 记录办理进展
         * @description 记录办理进展；可标记某部门任务完成
         */
        post: operations["recordProgress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 办结
         * @description 办结（各部门任务须全部完成；请求体可省略）
         */
        post: operations["completeCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/return": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 退还原件
         * @description 代办：退还全部原件
         */
        post: operations["returnMaterials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/escalate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 上报难点堵点
         * @description 上报难点堵点
         */
        post: operations["escalateCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/forward": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 村级代办点转办
         * @description 转办：村级代办点的办件转至所属镇（街道）或区政务服务中心，由接收场所的管理员指派
         */
        post: operations["forwardCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/review-followup": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 差评回访整改完成
         * @description 差评回访整改完成（场所管理员）
         */
        post: operations["closeReviewFollowup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/escalations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 难点堵点列表
         * @description 难点堵点列表
         */
        get: operations["listEscalations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/escalations/{escalation_id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 难点堵点 id
                 * @example 1
                 */
                escalation_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 协调解决难点堵点
         * @description 协调解决难点堵点（场所管理员）
         */
        post: operations["resolveEscalation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/people/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 窗口查询来人的办件
         * @description 窗口查询来人：校验身份证号码，列出此人在本人所在场所的办件（查询记入审计日志）
         */
        post: operations["lookUpPerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/special-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 确认特殊群体
         * @description 确认特殊群体：查验残疾人证、退役军人证等证件后，按身份证号码确认此人属于特殊群体（可预约保留号源）。
         *     达到规定年龄（SPECIAL_GROUP_AGE，默认60岁）的老年人无需确认。同一类别已有有效确认时返回该确认。
         */
        post: operations["confirmSpecialGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/special-groups/{confirmation_id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 特殊群体确认 id
                 * @example 1
                 */
                confirmation_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 解除特殊群体确认
         * @description 解除特殊群体确认（证件过期或登记有误）：本场所的工作人员
         */
        post: operations["endSpecialGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/relatives/{relative_id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 亲友 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 窗口确认亲友代办
         * @description 窗口确认亲友代办：核验被代办人的身份证和签字的授权书后确认（记录经办人和时间）
         */
        post: operations["confirmRelativeAtWindow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/visit-schedule": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 安排上门代办
         * @description 上门代办：安排上门日期、时间和帮办代办员（场所管理员；该员同时负责此办件）
         */
        post: operations["scheduleVisit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/visit-decline": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 不安排上门代办
         * @description 上门代办：不安排上门（须说明理由，申请人会收到通知）
         */
        post: operations["declineVisit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/visit-record": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 登记已上门代办
         * @description 上门代办：登记已上门——上门收取的材料即材料交接（必需材料齐全时一并受理），可同时登记纸质委托协议
         */
        post: operations["recordVisit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 暂停计时：特别程序或中止委托
         * @description 暂停计时：开始特别程序（听证、检验、专家评审等，不计入办理时限，书面告知申请人所需时间），或中止代办委托（commission: true，申请人原因）
         */
        post: operations["suspendClock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 恢复计时
         * @description 恢复计时：特别程序或中止结束，承诺办结日期按暂停的工作日顺延（请求体可省略）
         */
        post: operations["resumeClock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 延长办理时限
         * @description 延长办理时限（场所管理员，须在承诺办结日期前决定并说明理由）
         */
        post: operations["extendDeadline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/terminate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 大厅终止代办委托
         * @description 代办：大厅终止委托（须说明理由）；保管的原件随后退还
         */
        post: operations["terminateCommissionByHall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 续办
         * @description 代办：续办——过了有效期尚未办结的委托，延续有效期
         */
        post: operations["renewCommission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        /**
         * 办件的文书（工作人员）
         * @description 办件的文书（打印给申请人）
         */
        get: operations["listStaffCaseDocuments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/cases/{number}/documents/{id}.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
                /**
                 * @description 文书 id（GET /cases/{number}/documents）
                 * @example 1
                 */
                id: number;
            };
            cookie?: never;
        };
        /**
         * 打印文书（PDF）
         * @description 打印文书（PDF）
         */
        get: operations["printCaseDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/visits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 某日上门代办安排
         * @description 某日（默认今天）的上门代办安排，按时间排列（帮办代办员：本人的）
         */
        get: operations["listVisits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 订阅消息模板与剩余次数
         * @description 可订阅的消息模板、每个一次性模板剩余的可发送条数和长期订阅的模板
         */
        get: operations["getSubscriptions"];
        put?: never;
        /**
         * 记录同意的订阅消息
         * @description 记录 wx.requestSubscribeMessage 中用户同意的模板：每次提交每个一次性模板至多加一条，累计不超过上限（默认10条；未知的模板键：422）
         */
        post: operations["acceptSubscriptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/wechat-bind": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 工作人员绑定微信
         * @description 绑定工作人员的微信：此后指派、难点堵点和时限预警以订阅消息送达（未绑定或无订阅时留在管理后台的消息箱）
         */
        post: operations["bindStaffWeChat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/places/{code}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 场所编码
                 * @example BS-HALL
                 */
                code: string;
            };
            cookie?: never;
        };
        /**
         * 场所排队情况
         * @description 场所当前的排队情况（公开）：各队列等候人数与预计等候时间
         */
        get: operations["getPlaceQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我今天的排队号
         * @description 我今天的排队号（新的在前）
         */
        get: operations["listMyTickets"];
        put?: never;
        /**
         * 线上取号
         * @description 线上取号（场所开放时；每人每个场所同时只能有一个等候中的号，按身份证号码计；可为已确认的亲友取号：for）
         */
        post: operations["takeTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tickets/{number}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 排队号（当天的号，如 A001）
                 * @example A001
                 */
                number: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 放弃排队号
         * @description 放弃等候中的号
         */
        post: operations["cancelTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consultations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 我的咨询
         * @description 我的咨询（最新的在前）
         */
        get: operations["listConsultations"];
        put?: never;
        /**
         * 提出咨询
         * @description 就某场所办理的某事项提出咨询（最多500个字符）；该场所负责此事项的帮办代办员答复后，
         *     以订阅消息 consultation_answered 通知
         */
        post: operations["askConsultation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/items/{code}/faq": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 事项编码
                 * @example SB-001
                 */
                code: string;
            };
            cookie?: never;
        };
        /**
         * 事项的常见问题
         * @description 事项的常见问题（由场所管理员从已答复的咨询中整理发布）
         */
        get: operations["listItemFaq"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/consultations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * 工作人员可答复的咨询
         * @description 我可以答复或查看的咨询（待答复的在前，按提问时间）：帮办代办员为本人场所、本部门牵头的事项，
         *     场所管理员为所管场所
         */
        get: operations["listStaffConsultations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/consultations/{consultation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        /**
         * 咨询详情（工作人员）
         * @description 一条咨询
         */
        get: operations["getStaffConsultation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/consultations/{consultation_id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 答复咨询
         * @description 答复咨询（只能答复一次）；群众收到 consultation_answered 订阅消息
         */
        post: operations["answerConsultation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/consultations/{consultation_id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 关闭咨询
         * @description 不答复而关闭咨询（重复提问、非咨询内容），须写明原因（场所管理员）
         */
        post: operations["closeConsultation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff/consultations/{consultation_id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * 发布到常见问题
         * @description 将已答复的咨询（可修改措辞）发布到事项的常见问题；再次发布即修改（场所管理员）
         */
        post: operations["publishConsultation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorBody: {
            /**
             * @description 稳定的错误码，如 not_found、slot_full
             * @enum {string}
             */
            code: "invalid_input" | "unauthorized" | "forbidden" | "not_found" | "slot_full" | "duplicate_booking" | "invalid_state" | "too_late" | "outside_booking_window" | "booking_limit" | "booking_blocked" | "rate_limited" | "duplicate_ticket" | "service_unavailable" | "wechat_unavailable" | "method_not_allowed" | "internal_error" | "http_error";
            /** @description 中文说明 */
            message: string;
            /** @description 补充信息，如 {"status": "accepted"}；可能为空对象 */
            details: {
                [key: string]: unknown;
            };
        };
        Error: {
            error: components["schemas"]["ErrorBody"];
        };
        /**
         * @description 逐字段的错误说明：键为字段名（请求体的错误在 json 下，查询参数的在 query 下），值为中文说明的列表，或下一层字段的同样结构（列表元素以序号为键）
         * @example {
         *       "json": {
         *         "slot": [
         *           "缺少必填项"
         *         ],
         *         "note": [
         *           "最多500个字符"
         *         ]
         *       }
         *     }
         */
        FieldErrors: {
            [key: string]: string[] | components["schemas"]["FieldErrors"];
        };
        /**
         * @description 输入有误时的错误答复：details 逐字段说明
         * @example {
         *       "error": {
         *         "code": "invalid_input",
         *         "message": "请求参数有误",
         *         "details": {
         *           "json": {
         *             "slot": [
         *               "缺少必填项"
         *             ]
         *           }
         *         }
         *       }
         *     }
         */
        ValidationError: {
            error: {
                /** @enum {string} */
                code: "invalid_input" | "unauthorized" | "forbidden" | "not_found" | "slot_full" | "duplicate_booking" | "invalid_state" | "too_late" | "outside_booking_window" | "booking_limit" | "booking_blocked" | "rate_limited" | "duplicate_ticket" | "service_unavailable" | "wechat_unavailable" | "method_not_allowed" | "internal_error" | "http_error";
                /** @description 中文说明 */
                message: string;
                details: components["schemas"]["FieldErrors"];
            };
        };
        Ref: {
            code: string;
            name: string;
        };
        Place: {
            code: string;
            name: string;
            /** @enum {string} */
            level: "district" | "department_hall" | "town" | "village";
            /**
             * @description 层级的中文名称
             * @enum {string}
             */
            level_label: "区政务服务中心" | "部门专业分大厅" | "镇（街道）便民服务中心" | "村（社区）便民服务中心";
            parent: components["schemas"]["Ref"] | null;
            address: string | null;
            phone: string | null;
            latitude: number | null;
            longitude: number | null;
        };
        PlacePage: {
            items: components["schemas"]["Place"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        ItemSummary: {
            code: string;
            name: string;
            category: string;
            /** @description 牵头（主办）部门 */
            department: components["schemas"]["Ref"];
            help_types: ("assist" | "proxy")[];
            /** @description 承诺时限（法定工作日） */
            commitment_days: number;
            /** @description 法定收费说明；null 表示免费 */
            fee: string | null;
        };
        ItemSummaryPage: {
            items: components["schemas"]["ItemSummary"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        Material: {
            code: string;
            name: string;
            copies: number;
            /** @description true：需原件；false：复印件即可 */
            original: boolean;
            required: boolean;
            /** @description 获取途径 */
            how_to_obtain: string | null;
        };
        Item: {
            code: string;
            name: string;
            category: string;
            /** @description 牵头（主办）部门 */
            department: components["schemas"]["Ref"];
            help_types: ("assist" | "proxy")[];
            /** @description 承诺时限（法定工作日） */
            commitment_days: number;
            /** @description 法定收费说明；null 表示免费 */
            fee: string | null;
            places: components["schemas"]["Ref"][];
            departments_involved: components["schemas"]["Ref"][];
            materials: components["schemas"]["Material"][];
        };
        Announcement: {
            id: number;
            title: string;
            body: string;
            /** @description 场所；null 表示全区公告 */
            place: components["schemas"]["Ref"] | null;
            /**
             * Format: date
             * @description 开始展示日期（含）
             */
            starts_on: string;
            /**
             * Format: date
             * @description 结束展示日期（含）
             */
            ends_on: string;
        };
        AnnouncementPage: {
            items: components["schemas"]["Announcement"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        LoginIn: {
            /** @description wx.login 得到的 code（演示模式下任意字符串） */
            code: string;
        };
        Citizen: {
            name: string | null;
            /** @description 身份证号（脱敏） */
            id_number: string | null;
            /** @description 手机号（脱敏） */
            phone: string | null;
        };
        CitizenLoginOut: {
            token: string;
            /** @description 有效期（秒） */
            expires_in: number;
            citizen: components["schemas"]["Citizen"];
        };
        ProfileIn: {
            /** @description 真实姓名 */
            name?: string;
            /** @description 居民身份证号码（GB 11643 校验）；空字符串表示清除 */
            id_number?: string;
        };
        PhoneIn: {
            /** @description 手机号快速验证组件返回的 code */
            code: string;
        };
        Relative: {
            id: number;
            name: string;
            /** @description 身份证号码（脱敏） */
            id_number: string;
            relation: string;
            /** @description 手机号（脱敏） */
            phone: string | null;
            /**
             * @description pending 待确认；confirmed 已确认；ended 已解除
             * @enum {string}
             */
            status: "pending" | "confirmed" | "ended";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            confirmed_at: string | null;
            /**
             * @description relative 亲友本人在小程序确认；window 窗口工作人员核验后确认
             * @enum {string|null}
             */
            confirmed_by: "relative" | "window" | null;
        };
        RelativePage: {
            items: components["schemas"]["Relative"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        RelativeIn: {
            name: string;
            id_number: string;
            /** @description 关系，如 父亲、母亲 */
            relation: string;
            phone?: string | null;
        };
        Requester: {
            /** @description 发起人姓名（脱敏） */
            name: string | null;
        };
        Authorisation: {
            id: number;
            /** @description 请求代为办理的人（姓名脱敏） */
            requester: components["schemas"]["Requester"];
            /** @description 对方填写的与您的关系 */
            relation: string;
            /**
             * @description pending 待确认；confirmed 已确认；ended 已解除
             * @enum {string}
             */
            status: "pending" | "confirmed" | "ended";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            confirmed_at: string | null;
        };
        AuthorisationPage: {
            items: components["schemas"]["Authorisation"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        Slot: {
            id: number;
            /** Format: date */
            date: string;
            /** @example 09:00 */
            start: string;
            /** @example 09:00 */
            end: string;
            /** @enum {string} */
            kind: "regular" | "extended" | "weekend" | "holiday";
            capacity: number;
            /** @description 您可预约的剩余号源（不含现场号源；特殊群体含为其保留的号源） */
            remaining: number;
            /** @description 为老年人、残疾人等特殊群体保留、尚未向所有人开放的剩余号源 */
            reserved_remaining: number;
        };
        SlotPage: {
            items: components["schemas"]["Slot"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        CitizenBookingIn: {
            /** @description 时段 id */
            slot: number;
            /** @description 事项编码 */
            item: string;
            /** @enum {string|null} */
            help_type?: "assist" | "proxy" | null;
            note?: string | null;
            /** @description 为已确认的亲友代为办理：亲友的 id（GET /me/relatives）；不填为本人 */
            for?: number | null;
        };
        For: {
            /** @description 亲友姓名（脱敏） */
            name: string;
        };
        BookingTicket: {
            /** @description 排队号，如 A001 */
            number: string;
            /** @enum {string} */
            status: "waiting" | "called" | "serving" | "done" | "missed" | "cancelled";
        };
        Booking: {
            /** @description 预约码，现场签到用 */
            code: string;
            /** @enum {string} */
            status: "booked" | "cancelled" | "checked_in" | "no_show";
            /** @enum {string} */
            status_label: "已预约" | "已取消" | "已签到" | "未到";
            slot: components["schemas"]["Slot"];
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            /**
             * @description assist：需要帮办；null：自行办理
             * @enum {string|null}
             */
            help_type: "assist" | "proxy" | null;
            note: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            cancelled_at: string | null;
            /**
             * @description citizen 本人取消；hall 大厅取消
             * @enum {string|null}
             */
            cancelled_by: "citizen" | "hall" | null;
            cancel_reason: string | null;
            /** Format: date-time */
            checked_in_at: string | null;
            /** @description 为亲友代为预约时的亲友；本人预约为 null */
            for: components["schemas"]["For"] | null;
            /** @description 签到后取得的排队号；未签到或场所不设叫号为 null */
            ticket: components["schemas"]["BookingTicket"] | null;
        };
        BookingPage: {
            items: components["schemas"]["Booking"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        RescheduleIn: {
            slot: number;
        };
        ApplicantIn: {
            name: string;
            phone?: string | null;
            id_number?: string | null;
            enterprise_name?: string | null;
            /** @description 统一社会信用代码（企业申请人必填） */
            uscc?: string | null;
        };
        HomeVisitIn: {
            /** @description 上门地址 */
            address: string;
            /** @description 需要上门的原因，如 行动不便 */
            reason?: string | null;
            /** @description 希望上门的日期（最多5个） */
            preferred_dates?: string[];
        };
        CaseIn: {
            item: string;
            place: string;
            /** @enum {string} */
            help_type: "assist" | "proxy";
            applicant: components["schemas"]["ApplicantIn"];
            /** @description 申请人已备齐的材料编码 */
            materials?: string[];
            /** @description 来源预约的预约码 */
            booking?: string | null;
            /** @description 特殊群体说明，如 老年人、残疾人 */
            special_group?: string | null;
            /** @description 为已确认的亲友代为办理：亲友的 id（GET /me/relatives）；不填为本人 */
            for?: number | null;
            /** @description 上门代办（仅代办）：行动不便等不便到场的申请人申请上门收取材料 */
            home_visit?: components["schemas"]["HomeVisitIn"] | null;
        };
        CitizenAgent: {
            name: string;
            /** @description 工作电话 */
            phone: string | null;
        };
        Applicant: {
            name: string;
            phone: string | null;
            id_number: string | null;
            enterprise_name: string | null;
            uscc: string | null;
        };
        AgreementState: {
            version: string | null;
            /** Format: date-time */
            signed_at: string | null;
            /**
             * @description online：小程序确认；paper：纸质签字
             * @enum {string|null}
             */
            method: "online" | "paper" | null;
        };
        CaseMaterial: {
            code: string;
            name: string;
            /** @enum {string} */
            state: "declared" | "missing" | "received" | "returned";
        };
        NoticeMaterial: {
            code: string;
            name: string;
            copies: number;
            original: boolean;
            how_to_obtain: string | null;
            note: string | null;
        };
        Notice: {
            /** Format: date-time */
            at: string;
            materials: components["schemas"]["NoticeMaterial"][];
            note: string | null;
        };
        Task: {
            department: components["schemas"]["Ref"];
            done: boolean;
            note: string | null;
        };
        TimelineEntry: {
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            /** @enum {string} */
            action: "submit" | "intake" | "notify_missing" | "supplement" | "accept" | "deem_accept" | "reject" | "handover" | "start_work" | "start" | "progress" | "complete" | "return" | "return_held" | "terminate" | "renew" | "withdraw" | "assign" | "agreement" | "escalate" | "forward" | "resolve_escalation" | "visit_schedule" | "visit_decline" | "visit_record" | "suspend" | "resume" | "extend" | "review" | "close_followup";
            /** @enum {string} */
            label: "提交申请" | "窗口受理申请" | "材料不全，一次性告知需补正的材料" | "申请人已补正材料" | "材料齐全，已受理" | "逾期未审查，依法视为受理" | "不予受理" | "材料交接完成" | "委托协议已签订、材料已交接，代办员开始办理" | "帮办员开始陪同办理" | "办理进展" | "已办结" | "原件已退还" | "终止代办委托" | "续办：委托有效期延续" | "申请人撤回申请" | "指派帮办代办员" | "签订委托代办协议" | "上报难点堵点" | "转办至镇（街道）或区政务服务中心" | "难点堵点已协调解决" | "安排上门代办" | "不安排上门代办" | "上门代办：已上门收取材料" | "暂停计时（特别程序或中止委托）" | "恢复计时" | "延长办理时限" | "申请人评价" | "差评回访整改完成";
            note: string | null;
        };
        Followup: {
            /** Format: date */
            due: string | null;
            /** Format: date-time */
            closed_at: string | null;
            callback: string | null;
            fix: string | null;
        };
        Review: {
            score: number;
            /**
             * @description 非常满意…非常不满意
             * @enum {string}
             */
            level: "非常满意" | "满意" | "基本满意" | "不满意" | "非常不满意";
            comment: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description 差评（1、2分）的回访整改情况；其他评价为 null */
            followup: components["schemas"]["Followup"] | null;
        };
        Visit: {
            /**
             * @description requested 已申请；scheduled 已安排；done 已上门；declined 不安排（note 为理由）
             * @enum {string}
             */
            status: "requested" | "scheduled" | "done" | "declined";
            /** Format: date */
            date: string | null;
            /** @example 09:00 */
            start: string | null;
            agent: components["schemas"]["CitizenAgent"] | null;
            note: string | null;
        };
        Commission: {
            /** @description 委托书：委托的事项与代办的任务 */
            scope: string | null;
            /**
             * Format: date
             * @description 委托书签订之日
             */
            valid_from: string | null;
            /**
             * Format: date
             * @description 委托有效期至；过期未办结的须续办
             */
            valid_until: string | null;
            /**
             * @description active 有效；suspended 中止；lapsed 已过有效期待续办；terminated 已终止；completed 已办结；ended 已撤回或不予受理；null 尚未签订
             * @enum {string|null}
             */
            status: "active" | "suspended" | "lapsed" | "terminated" | "completed" | "ended" | null;
            /**
             * @description citizen 申请人终止；hall 大厅终止
             * @enum {string|null}
             */
            terminated_by: "citizen" | "hall" | null;
            termination_reason: string | null;
        };
        Suspension: {
            /**
             * @description 特别程序种类（GB/T 39046）：hearing 听证、tender 招标、auction 拍卖、inspection 检验、testing 检测、quarantine 检疫、appraisal 鉴定、expert_review 专家评审、survey 现场勘查、other 其他（含代办委托的中止）
             * @enum {string}
             */
            kind: "hearing" | "tender" | "auction" | "inspection" | "testing" | "quarantine" | "appraisal" | "expert_review" | "survey" | "other";
            /** @description 种类的中文名称 */
            kind_label: string;
            /**
             * @description GB/T 39046 特别程序种类代码：2 除延长审批之外的情况（种类的名称见 kind_label）
             * @enum {string}
             */
            gbt_code: "2";
            /**
             * @description procedure 特别程序；applicant 申请人原因（代办委托中止）
             * @enum {string}
             */
            cause: "procedure" | "applicant";
            reason: string;
            /**
             * Format: date
             * @description 开始日期（当日起暂停计时）
             */
            from: string;
            /**
             * Format: date
             * @description 结束日期（次日起恢复计时）；进行中为 null
             */
            to: string | null;
            /** @description 预计所需工作日（书面告知申请人） */
            expected_days: number | null;
            /** @description 实际暂停的工作日（结束后） */
            working_days: number | null;
        };
        Extension: {
            /** @description 延长的工作日 */
            days: number;
            /**
             * @description GB/T 39046 特别程序种类代码：1 延长审批
             * @enum {string}
             */
            gbt_code: "1";
            reason: string;
            /** Format: date-time */
            decided_at: string;
            /**
             * Format: date
             * @description 延长后的承诺办结日期
             */
            due_date: string;
        };
        Clock: {
            /** @description 可用的法定工作日：承诺时限加批准延长的 */
            working_days: number;
            /** @description 已用的工作日（受理次日起，暂停期间不计） */
            used: number;
            /** @description 剩余的工作日（不小于0） */
            remaining: number;
            /** @description true：特别程序或中止进行中，暂停计时 */
            paused: boolean;
            suspensions: components["schemas"]["Suspension"][];
            extensions: components["schemas"]["Extension"][];
        };
        Case: {
            number: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            /** @enum {string} */
            help_type: "assist" | "proxy";
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            agent: components["schemas"]["CitizenAgent"] | null;
            /**
             * Format: date
             * @description 承诺办结日期
             */
            due_date: string | null;
            /**
             * @description normal 正常；amber 用时过80%；red 已超期
             * @enum {string}
             */
            deadline_state: "normal" | "amber" | "red";
            /** Format: date-time */
            created_at: string;
            /** @description 为亲友代为申请时的亲友；本人申请为 null */
            for: components["schemas"]["For"] | null;
            /** @description 法定收费；null 为免费 */
            fee: string | null;
            /** @description 申请人（脱敏） */
            applicant: components["schemas"]["Applicant"];
            special_group: string | null;
            /** @description 来源预约的预约码；null：未关联预约 */
            booking: string | null;
            /**
             * Format: date
             * @description 收件日期：申请（一次性告知后为补正材料）送达之日（行政许可法第三十二条）
             */
            received_on: string;
            /**
             * Format: date
             * @description 受理日期；视为受理的为收件日期
             */
            accepted_on: string | null;
            /** @description true：收件后5个工作日内未审查，依法自收件之日起视为受理 */
            deemed_accepted: boolean;
            /** Format: date-time */
            finished_at: string | null;
            reject_reason: string | null;
            /** @description 委托代办协议的签订情况；帮办为 null */
            agreement: components["schemas"]["AgreementState"] | null;
            materials: components["schemas"]["CaseMaterial"][];
            notices: components["schemas"]["Notice"][];
            tasks: components["schemas"]["Task"][];
            timeline: components["schemas"]["TimelineEntry"][];
            review: components["schemas"]["Review"] | null;
            /** @description 上门代办；未申请为 null */
            visit: components["schemas"]["Visit"] | null;
            /** @description 代办委托：委托书的范围与有效期、中止、终止、续办；帮办为 null */
            commission: components["schemas"]["Commission"] | null;
            /** @description 法定办理时限：特别程序与中止暂停计时，延长增加工作日（行政许可法第四十二、四十五条） */
            clock: components["schemas"]["Clock"];
        };
        ProjectCase: {
            number: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            /**
             * Format: date
             * @description 承诺办结日期
             */
            due_date: string | null;
            /**
             * @description normal 正常；amber 用时过80%；red 已超期
             * @enum {string}
             */
            deadline_state: "normal" | "amber" | "red";
        };
        Project: {
            /** @description 项目编号 */
            code: string;
            name: string;
            enterprise_name: string;
            /** @description 项目管家 */
            steward: components["schemas"]["CitizenAgent"];
            /** @description 归入本项目的全部办件（跨部门、跨场所），按申请时间 */
            cases: components["schemas"]["ProjectCase"][];
        };
        ProjectPage: {
            items: components["schemas"]["Project"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        CaseSummary: {
            number: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            /** @enum {string} */
            help_type: "assist" | "proxy";
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            agent: components["schemas"]["CitizenAgent"] | null;
            /**
             * Format: date
             * @description 承诺办结日期
             */
            due_date: string | null;
            /**
             * @description normal 正常；amber 用时过80%；red 已超期
             * @enum {string}
             */
            deadline_state: "normal" | "amber" | "red";
            /** Format: date-time */
            created_at: string;
            /** @description 为亲友代为申请时的亲友；本人申请为 null */
            for: components["schemas"]["For"] | null;
        };
        CaseSummaryPage: {
            items: components["schemas"]["CaseSummary"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        SupplementIn: {
            materials: string[];
        };
        AgreementText: {
            version: string;
            text: string;
        };
        AgreementIn: {
            /** @enum {boolean} */
            accept: true;
        };
        TerminateIn: {
            /** @description 终止委托的原因 */
            reason?: string | null;
        };
        Document: {
            id: number;
            /**
             * @description notice 一次性告知书；acceptance 受理凭证；handover 材料交接单；commission 委托书；suspension 特别程序告知书（或中止委托告知书）；termination 终止单；return 材料返还单；completion 办结单
             * @enum {string}
             */
            kind: "notice" | "acceptance" | "handover" | "commission" | "suspension" | "termination" | "return" | "completion";
            title: string;
            /** Format: date-time */
            issued_at: string;
        };
        DocumentPage: {
            items: components["schemas"]["Document"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        ReviewIn: {
            /** @description 5 非常满意 … 1 非常不满意 */
            score: number;
            comment?: string | null;
        };
        StaffLoginIn: {
            username: string;
            password: string;
        };
        Staff: {
            username: string;
            name: string;
            /** @enum {string} */
            role: "agent" | "place_manager" | "district_admin" | "inspector" | "guide";
            /** @enum {string} */
            role_label: "帮办代办员" | "场所管理员" | "区政务服务管理办" | "督查人员" | "引导员";
            places: components["schemas"]["Ref"][];
            department: components["schemas"]["Ref"] | null;
        };
        StaffLoginOut: {
            token: string;
            expires_in: number;
            staff: components["schemas"]["Staff"];
        };
        BookingCitizen: {
            /** @description 姓名（群众在“我的”中填写；未填为 null） */
            name: string | null;
            /** @description 手机号（脱敏） */
            phone: string | null;
        };
        AgentRef: {
            username: string;
            name: string;
            /** @description 工作电话 */
            phone: string | null;
        };
        StaffBooking: {
            /** @description 预约码，现场签到用 */
            code: string;
            /** @enum {string} */
            status: "booked" | "cancelled" | "checked_in" | "no_show";
            /** @enum {string} */
            status_label: "已预约" | "已取消" | "已签到" | "未到";
            slot: components["schemas"]["Slot"];
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            /**
             * @description assist：需要帮办；null：自行办理
             * @enum {string|null}
             */
            help_type: "assist" | "proxy" | null;
            note: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            cancelled_at: string | null;
            /**
             * @description citizen 本人取消；hall 大厅取消
             * @enum {string|null}
             */
            cancelled_by: "citizen" | "hall" | null;
            cancel_reason: string | null;
            /** Format: date-time */
            checked_in_at: string | null;
            /** @description 为亲友代为预约时的亲友；本人预约为 null */
            for: components["schemas"]["For"] | null;
            /** @description 签到后取得的排队号；未签到或场所不设叫号为 null */
            ticket: components["schemas"]["BookingTicket"] | null;
            /** @description 预约人：群众本人，或工作人员代为预约时登记的人 */
            citizen: components["schemas"]["BookingCitizen"];
            /** @description 代为预约的工作人员；群众自行预约为 null */
            booked_by: components["schemas"]["AgentRef"] | null;
            /** @description 签到的工作人员 */
            checked_in_by: components["schemas"]["AgentRef"] | null;
        };
        StaffBookingPage: {
            items: components["schemas"]["StaffBooking"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        PersonIn: {
            name: string;
            id_number: string;
            phone?: string | null;
        };
        StaffBookingIn: {
            /** @description 时段 id */
            slot: number;
            /** @description 事项编码 */
            item: string;
            /** @enum {string|null} */
            help_type?: "assist" | "proxy" | null;
            note?: string | null;
            /** @description 预约人：姓名、身份证号码必填，手机号可选；预约上限与爽约限制按身份证号码计 */
            person: components["schemas"]["PersonIn"];
        };
        StaffNotice: {
            /** Format: date-time */
            at: string;
            materials: components["schemas"]["NoticeMaterial"][];
            note: string | null;
            /** @description 是否新增了首次告知未列出的材料 */
            violates_one_time_rule: boolean;
        };
        StaffVisit: {
            /**
             * @description requested 已申请；scheduled 已安排；done 已上门；declined 不安排（note 为理由）
             * @enum {string}
             */
            status: "requested" | "scheduled" | "done" | "declined";
            /** Format: date */
            date: string | null;
            /** @example 09:00 */
            start: string | null;
            agent: components["schemas"]["AgentRef"] | null;
            note: string | null;
            /** @description 上门地址 */
            address: string;
            reason: string | null;
            preferred_dates: string[];
        };
        Escalation: {
            id: number;
            case: string;
            raised_by: components["schemas"]["AgentRef"];
            /** Format: date-time */
            raised_at: string;
            note: string;
            /** Format: date-time */
            resolved_at: string | null;
            resolved_by: components["schemas"]["AgentRef"] | null;
            resolution: string | null;
        };
        StaffCase: {
            number: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            /** @enum {string} */
            help_type: "assist" | "proxy";
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            agent: components["schemas"]["AgentRef"] | null;
            /**
             * Format: date
             * @description 承诺办结日期
             */
            due_date: string | null;
            /**
             * @description normal 正常；amber 用时过80%；red 已超期
             * @enum {string}
             */
            deadline_state: "normal" | "amber" | "red";
            /** Format: date-time */
            created_at: string;
            /** @description 为亲友代为申请时的亲友；本人申请为 null */
            for: components["schemas"]["For"] | null;
            /** @description 法定收费；null 为免费 */
            fee: string | null;
            /** @description 申请人（脱敏） */
            applicant: components["schemas"]["Applicant"];
            special_group: string | null;
            /** @description 来源预约的预约码；null：未关联预约 */
            booking: string | null;
            /**
             * Format: date
             * @description 收件日期：申请（一次性告知后为补正材料）送达之日（行政许可法第三十二条）
             */
            received_on: string;
            /**
             * Format: date
             * @description 受理日期；视为受理的为收件日期
             */
            accepted_on: string | null;
            /** @description true：收件后5个工作日内未审查，依法自收件之日起视为受理 */
            deemed_accepted: boolean;
            /** Format: date-time */
            finished_at: string | null;
            reject_reason: string | null;
            /** @description 委托代办协议的签订情况；帮办为 null */
            agreement: components["schemas"]["AgreementState"] | null;
            materials: components["schemas"]["CaseMaterial"][];
            notices: components["schemas"]["StaffNotice"][];
            tasks: components["schemas"]["Task"][];
            timeline: components["schemas"]["TimelineEntry"][];
            review: components["schemas"]["Review"] | null;
            visit: components["schemas"]["StaffVisit"] | null;
            /** @description 代办委托：委托书的范围与有效期、中止、终止、续办；帮办为 null */
            commission: components["schemas"]["Commission"] | null;
            /** @description 法定办理时限：特别程序与中止暂停计时，延长增加工作日（行政许可法第四十二、四十五条） */
            clock: components["schemas"]["Clock"];
            /** @description 转办前的村代办员：办件转至镇（街道）或区政务服务中心后，仍为申请人的联系人 */
            contact_agent: components["schemas"]["AgentRef"] | null;
            /**
             * @description online 小程序申请；window 窗口受理
             * @enum {string}
             */
            channel: "online" | "window";
            escalations: components["schemas"]["Escalation"][];
            /** @description 当前登录的工作人员此刻可对该办件进行的操作（按固定顺序）：每项对应 POST /staff/cases/{number}/<操作名>，其中 resolve-escalation 对应 POST /staff/escalations/{id}/resolve（id 为该办件未解决的难点堵点）；不在列表中的操作会被拒绝。督查人员始终为空列表 */
            actions: ("assign" | "check" | "reject" | "handover" | "agreement" | "start" | "progress" | "complete" | "return" | "escalate" | "forward" | "resolve-escalation" | "review-followup" | "visit-schedule" | "visit-decline" | "visit-record" | "suspend" | "resume" | "extend" | "terminate" | "renew")[];
        };
        StaffCasePage: {
            items: components["schemas"]["StaffCase"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        AssignIn: {
            /** @description 用户名 */
            agent: string;
        };
        MissingLineIn: {
            material: string;
            note?: string | null;
        };
        CheckIn: {
            /** @description 空列表表示材料齐全，受理 */
            missing: components["schemas"]["MissingLineIn"][];
            note?: string | null;
        };
        RejectIn: {
            reason: string;
        };
        ReceiptLineIn: {
            material: string;
            copies: number;
            original: boolean;
        };
        HandoverIn: {
            materials: components["schemas"]["ReceiptLineIn"][];
            /**
             * @description 申请人已当面确认
             * @default false
             */
            citizen_confirmed: boolean;
            note?: string | null;
        };
        ProgressIn: {
            note?: string | null;
            /** @description 部门编码 */
            task?: string | null;
            done?: boolean | null;
        };
        NoteIn: {
            note?: string | null;
        };
        ResultIn: {
            /** @description 如 营业执照、批复文件 */
            name: string;
            /** @default 1 */
            copies: number;
        };
        ReturnIn: {
            materials: components["schemas"]["ReceiptLineIn"][];
            /** @description 一并交付的办理结果（证照、批文等，事项材料清单以外的） */
            results?: components["schemas"]["ResultIn"][];
            note?: string | null;
        };
        RequiredNoteIn: {
            note: string;
        };
        ForwardIn: {
            /** @description 接收场所编码：本村所属的镇（街道）便民服务中心或区政务服务中心 */
            place: string;
            /** @description 转办原因 */
            reason: string;
        };
        FollowupIn: {
            /** @description 回访情况 */
            callback: string;
            /** @description 整改措施 */
            fix: string;
        };
        EscalationPage: {
            items: components["schemas"]["Escalation"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        WindowCaseIn: {
            item: string;
            /** @description 受理的场所编码（本人登记备案或管理的场所） */
            place: string;
            /** @enum {string} */
            help_type: "assist" | "proxy";
            /** @description 申请人：姓名、身份证号码必填，手机号可选；企业事项另填企业名称与统一社会信用代码 */
            applicant: components["schemas"]["ApplicantIn"];
            /** @description 窗口当面核验过的材料编码；必需材料齐全即受理，否则一次性告知缺少的材料 */
            materials?: string[];
            /** @description 特殊群体说明，如 老年人、残疾人 */
            special_group?: string | null;
            /** @description 代办：当场交接的材料（申请人在场确认）；材料不全时不能交接 */
            handover?: components["schemas"]["ReceiptLineIn"][] | null;
            /**
             * @description 代办：申请人已当场签署纸质委托代办协议
             * @default false
             */
            paper_agreement: boolean;
            note?: string | null;
        };
        PersonLookupIn: {
            /** @description 身份证号码（放在请求体中，不进地址与日志） */
            id_number: string;
        };
        PersonCase: {
            number: string;
            /** @enum {string} */
            status: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
            /** @enum {string} */
            status_label: "已提交，待审查材料" | "材料不全，待补正" | "已受理" | "材料已交接" | "办理中" | "已办结" | "原件已退还" | "已撤回" | "不予受理" | "委托已终止";
            /** @enum {string} */
            help_type: "assist" | "proxy";
            /** @enum {string} */
            channel: "online" | "window";
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            /** Format: date-time */
            created_at: string;
        };
        StaffRelative: {
            id: number;
            name: string;
            relation: string;
            /** @description 请求代为办理的人 */
            requester: components["schemas"]["Requester"];
            /**
             * @description pending 待确认；confirmed 已确认；ended 已解除
             * @enum {string}
             */
            status: "pending" | "confirmed" | "ended";
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            confirmed_at: string | null;
            confirmation_note: string | null;
            confirmed_by_staff: components["schemas"]["AgentRef"] | null;
        };
        PersonBooking: {
            code: string;
            /** @enum {string} */
            status: "booked" | "cancelled" | "checked_in" | "no_show";
            /** @enum {string} */
            status_label: "已预约" | "已取消" | "已签到" | "未到";
            slot: components["schemas"]["Slot"];
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            /** @description 代为预约的工作人员；群众自行预约为 null */
            booked_by: components["schemas"]["AgentRef"] | null;
        };
        SpecialGroup: {
            id: number;
            name: string;
            /** @description 身份证号码（脱敏） */
            id_number: string;
            /** @enum {string} */
            kind: "disability" | "military" | "pregnant" | "other";
            /** @enum {string} */
            kind_label: "残疾人" | "军人、退役军人及优抚对象" | "孕产妇" | "其他特殊困难群体";
            document: string;
            place: components["schemas"]["Ref"];
            /** @description 确认的工作人员 */
            confirmed_by: components["schemas"]["AgentRef"];
            /** Format: date-time */
            confirmed_at: string;
            /** Format: date-time */
            ended_at: string | null;
        };
        PersonHistory: {
            /** @description 校验通过的身份证号码（脱敏） */
            id_number: string;
            /**
             * Format: date
             * @description 身份证号码中的出生日期
             */
            birth_date: string;
            /** @description 此人在本人所在场所的办件（新的在前，最多20件） */
            cases: components["schemas"]["PersonCase"][];
            /** @description 以此人身份证号码发起、待确认的亲友代办请求：核验身份证和签字的授权书后可在窗口确认 */
            authorisations: components["schemas"]["StaffRelative"][];
            /** @description 此人在本人所在场所的预约（自行预约与代为预约，时段新的在前，最多20个） */
            bookings: components["schemas"]["PersonBooking"][];
            /** @description 此人今天是否属于特殊群体（达到规定年龄，或有有效的特殊群体确认）：可用保留号源 */
            special_group: boolean;
            /** @description 此人有效的特殊群体确认 */
            special_groups: components["schemas"]["SpecialGroup"][];
        };
        SpecialGroupIn: {
            /** @description 确认所在的场所编码（本人所在场所） */
            place: string;
            name: string;
            id_number: string;
            /** @enum {string} */
            kind: "disability" | "military" | "pregnant" | "other";
            /** @description 查验的证件种类，如残疾人证（不记证号） */
            document: string;
        };
        WindowConfirmIn: {
            /** @description 核验的证件与授权书，如：身份证原件、签字的授权委托书 */
            note: string;
        };
        VisitScheduleIn: {
            /** Format: date */
            date: string;
            /** @example 09:00 */
            start: string;
            /** @description 上门的帮办代办员用户名 */
            agent: string;
        };
        VisitRecordIn: {
            /** @description 上门收取的材料（即材料交接） */
            materials: components["schemas"]["ReceiptLineIn"][];
            /**
             * @description 申请人当场签署了纸质委托协议
             * @default false
             */
            paper_agreement: boolean;
            note?: string | null;
        };
        SuspendIn: {
            /**
             * @description 特别程序种类（GB/T 39046）：hearing 听证、tender 招标、auction 拍卖、inspection 检验、testing 检测、quarantine 检疫、appraisal 鉴定、expert_review 专家评审、survey 现场勘查、other 其他（含代办委托的中止）
             * @default other
             * @enum {string}
             */
            kind: "hearing" | "tender" | "auction" | "inspection" | "testing" | "quarantine" | "appraisal" | "expert_review" | "survey" | "other";
            /** @description 理由（书面告知申请人） */
            reason: string;
            /** @description 预计所需的工作日 */
            expected_days: number;
            /**
             * @description true：中止代办委托（申请人原因，如申请人外出），不是特别程序；只用于代办
             * @default false
             */
            commission: boolean;
        };
        ExtendIn: {
            /** @description 延长的工作日 */
            days: number;
            /** @description 理由（告知申请人） */
            reason: string;
        };
        RenewIn: {
            /**
             * Format: date
             * @description 续办后的委托有效期
             */
            valid_until: string;
            note?: string | null;
        };
        VisitDay: {
            /**
             * @description requested 已申请；scheduled 已安排；done 已上门；declined 不安排（note 为理由）
             * @enum {string}
             */
            status: "requested" | "scheduled" | "done" | "declined";
            /** Format: date */
            date: string | null;
            /** @example 09:00 */
            start: string | null;
            agent: components["schemas"]["AgentRef"] | null;
            note: string | null;
            /** @description 上门地址 */
            address: string;
            reason: string | null;
            preferred_dates: string[];
            /** @description 办件编号 */
            case: string;
            applicant: string;
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
        };
        VisitDayPage: {
            items: components["schemas"]["VisitDay"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        Subscriptions: {
            /** @description 模板键 → 订阅消息模板 id（wx.requestSubscribeMessage 的 tmplIds） */
            templates: {
                [key: string]: string;
            };
            /** @description 一次性订阅模板剩余可发送条数（每同意一次加一条） */
            quota: {
                [key: string]: number;
            };
            /** @description 长期订阅的模板键（无需次数） */
            long_term: string[];
        };
        SubscriptionsIn: {
            /** @description 用户在 wx.requestSubscribeMessage 中同意的模板键 */
            accepted: string[];
        };
        StaffWeChatBindIn: {
            /** @description 工作人员小程序页面 wx.login 得到的 code */
            code: string;
            /** @description 同时在 wx.requestSubscribeMessage 中同意的模板键（可选） */
            accepted?: string[];
        };
        StaffWeChat: {
            /** @description 模板键 → 订阅消息模板 id（wx.requestSubscribeMessage 的 tmplIds） */
            templates: {
                [key: string]: string;
            };
            /** @description 一次性订阅模板剩余可发送条数（每同意一次加一条） */
            quota: {
                [key: string]: number;
            };
            /** @description 长期订阅的模板键（无需次数） */
            long_term: string[];
            /** @description 已绑定微信 */
            linked: boolean;
            /**
             * Format: date-time
             * @description 绑定时间
             */
            linked_at: string;
        };
        QueueState: {
            code: string;
            name: string;
            /** @description 等候人数 */
            waiting: number;
            /** @description 现在取号的预计等候分钟数；该队列没有开放的窗口时为 null */
            estimated_wait_minutes: number | null;
        };
        PlaceQueue: {
            /** @description 是否正在取号（有开放的服务窗口） */
            open: boolean;
            /** @description 开放的服务窗口数 */
            windows_open: number;
            queues: components["schemas"]["QueueState"][];
            /** Format: date-time */
            updated_at: string;
        };
        WindowRef: {
            /** @description 窗口编号 */
            code: string;
            /** @description 窗口名称，如 3号窗口 */
            name: string;
        };
        Ticket: {
            /** @description 排队号：队列编码加当日三位序号，如 A001 */
            number: string;
            place: components["schemas"]["Ref"];
            queue: components["schemas"]["Ref"];
            item: components["schemas"]["Ref"] | null;
            /** @enum {string} */
            status: "waiting" | "called" | "serving" | "done" | "missed" | "cancelled";
            /** @enum {string} */
            status_label: "等候中" | "已叫号" | "办理中" | "已办结" | "过号" | "已取消";
            /**
             * @description booking 预约签到；online 线上取号；on_site 现场取号
             * @enum {string}
             */
            channel: "booking" | "online" | "on_site";
            /** @description 绿色通道（特殊群体优先叫号） */
            green_channel: boolean;
            /** @description 前面等候的人数；不在等候中为 null */
            ahead: number | null;
            /** @description 预计等候分钟数：前面人数 × 今日该队列最近的平均办理时长 ÷ 开放的窗口数；无开放窗口或不在等候中为 null */
            estimated_wait_minutes: number | null;
            /** @description 叫号的窗口 */
            window: components["schemas"]["WindowRef"] | null;
            /** Format: date-time */
            called_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description 为亲友代为取号时的亲友；本人取号为 null */
            for: components["schemas"]["For"] | null;
        };
        TicketPage: {
            items: components["schemas"]["Ticket"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        TicketIn: {
            /** @description 场所编码 */
            place: string;
            /** @description 事项编码 */
            item: string;
            /** @description 为已确认的亲友代为办理：亲友的 id（GET /me/relatives）；不填为本人 */
            for?: number | null;
        };
        Answerer: {
            name: string;
        };
        Consultation: {
            id: number;
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            question: string;
            /**
             * @description open 待答复；answered 已答复；closed 已关闭
             * @enum {string}
             */
            status: "open" | "answered" | "closed";
            answer: string | null;
            /** @description 答复人（仅姓名） */
            answered_by: components["schemas"]["Answerer"] | null;
            /** Format: date-time */
            answered_at: string | null;
            /** Format: date-time */
            created_at: string;
        };
        ConsultationPage: {
            items: components["schemas"]["Consultation"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        ConsultationIn: {
            /** @description 事项编码 */
            item: string;
            /** @description 场所编码 */
            place: string;
            /** @description 问题，最多500个字符 */
            question: string;
        };
        FaqEntry: {
            question: string;
            answer: string;
            /** Format: date-time */
            updated_at: string;
        };
        FaqEntryPage: {
            items: components["schemas"]["FaqEntry"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        StaffConsultation: {
            id: number;
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
            question: string;
            /**
             * @description open 待答复；answered 已答复；closed 已关闭
             * @enum {string}
             */
            status: "open" | "answered" | "closed";
            answer: string | null;
            answered_by: components["schemas"]["AgentRef"] | null;
            /** Format: date-time */
            answered_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** @enum {string} */
            status_label: "待答复" | "已答复" | "已关闭";
            /**
             * Format: date
             * @description 应答复日期（提问后第1个法定工作日）
             */
            answer_due_on: string;
            close_note: string | null;
        };
        StaffConsultationPage: {
            items: components["schemas"]["StaffConsultation"][];
            /** @description 符合条件的总条数 */
            total: number;
        };
        ConsultationAnswerIn: {
            /** @description 答复内容 */
            answer: string;
        };
        FaqPublishIn: {
            /** @description 公开的问题（可修改措辞；默认为原问题） */
            question?: string | null;
            /** @description 公开的答复（默认为原答复） */
            answer?: string | null;
        };
        StaffFaqEntry: {
            question: string;
            answer: string;
            /** Format: date-time */
            updated_at: string;
            id: number;
            item: components["schemas"]["Ref"];
            place: components["schemas"]["Ref"];
        };
    };
    responses: {
        /** @description 请求无法解析（invalid_input）：不是有效的 JSON，或地址含无效字符 */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 未登录、令牌无效或已过期（unauthorized） */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 无权进行此操作（forbidden）；多次预约未到暂停预约（booking_blocked） */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 资源不存在，或不在您可见的范围内（not_found） */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 与当前状态冲突：时段已约满（slot_full）、重复预约（duplicate_booking）、状态不允许（invalid_state）、已过可操作时间（too_late） */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 请求体过大（invalid_input） */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 输入有误（invalid_input）；不在可预约期内（outside_booking_window）；有效预约已达上限（booking_limit） */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ValidationError"];
            };
        };
        /** @description 请求过于频繁，或登录失败次数过多已暂时锁定（rate_limited） */
        TooManyRequests: {
            headers: {
                /** @description 多少秒后可以再试 */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description 服务暂时不可用，可稍后重试（service_unavailable、wechat_unavailable） */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPlaces: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 场所层级 */
                level?: "district" | "department_hall" | "town" | "village";
                /** @description 上级场所编码 */
                parent?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "address": "山东省淄博市博山区白塔镇政府驻地白塔大街21号",
                     *           "code": "BS-BT",
                     *           "latitude": 36.5412,
                     *           "level": "town",
                     *           "level_label": "镇（街道）便民服务中心",
                     *           "longitude": 117.8416,
                     *           "name": "白塔镇便民服务中心",
                     *           "parent": null,
                     *           "phone": "0533-4330159"
                     *         },
                     *         {
                     *           "address": "山东省淄博市博山区白塔镇北神头村村委会",
                     *           "code": "BS-BT-V01",
                     *           "latitude": 36.5489,
                     *           "level": "village",
                     *           "level_label": "村（社区）便民服务中心",
                     *           "longitude": 117.8365,
                     *           "name": "北神头村代办点",
                     *           "parent": {
                     *             "code": "BS-BT",
                     *             "name": "白塔镇便民服务中心"
                     *           },
                     *           "phone": "0533-4336248"
                     *         }
                     *       ],
                     *       "total": 12
                     *     }
                     */
                    "application/json": components["schemas"]["PlacePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listItems: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 场所编码：只列出该场所可办的事项 */
                place?: string;
                /** @description 事项类别，如 社会保险 */
                category?: string;
                /** @description 按编码、名称或类别模糊查找 */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "category": "创业创新咨询",
                     *           "code": "CY-001",
                     *           "commitment_days": 1,
                     *           "department": {
                     *             "code": "RSJ",
                     *             "name": "区人力资源和社会保障局"
                     *           },
                     *           "fee": null,
                     *           "help_types": [
                     *             "assist",
                     *             "proxy"
                     *           ],
                     *           "name": "创业政策咨询与创业指导服务"
                     *         },
                     *         {
                     *           "category": "创业创新咨询",
                     *           "code": "CY-002",
                     *           "commitment_days": 15,
                     *           "department": {
                     *             "code": "RSJ",
                     *             "name": "区人力资源和社会保障局"
                     *           },
                     *           "fee": null,
                     *           "help_types": [
                     *             "assist",
                     *             "proxy"
                     *           ],
                     *           "name": "创业担保贷款申请"
                     *         }
                     *       ],
                     *       "total": 28
                     *     }
                     */
                    "application/json": components["schemas"]["ItemSummaryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 事项编码
                 * @example SB-001
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "category": "社会保险",
                     *       "code": "SB-001",
                     *       "commitment_days": 5,
                     *       "department": {
                     *         "code": "RSJ",
                     *         "name": "区人力资源和社会保障局"
                     *       },
                     *       "departments_involved": [],
                     *       "fee": null,
                     *       "help_types": [
                     *         "assist",
                     *         "proxy"
                     *       ],
                     *       "materials": [
                     *         {
                     *           "code": "SFZ",
                     *           "copies": 1,
                     *           "how_to_obtain": "户籍所在地派出所办理",
                     *           "name": "居民身份证",
                     *           "original": true,
                     *           "required": true
                     *         },
                     *         {
                     *           "code": "HKB",
                     *           "copies": 1,
                     *           "how_to_obtain": "户籍所在地派出所办理",
                     *           "name": "居民户口簿",
                     *           "original": false,
                     *           "required": true
                     *         },
                     *         {
                     *           "code": "JMYBCB",
                     *           "copies": 1,
                     *           "how_to_obtain": "在村（社区）代办点或镇（街道）便民服务中心人社窗口领取并填写",
                     *           "name": "城乡居民基本养老保险参保登记表",
                     *           "original": true,
                     *           "required": true
                     *         }
                     *       ],
                     *       "name": "城乡居民基本养老保险参保登记",
                     *       "places": [
                     *         {
                     *           "code": "BS-BT",
                     *           "name": "白塔镇便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-BT-V01",
                     *           "name": "北神头村代办点"
                     *         },
                     *         {
                     *           "code": "BS-CD",
                     *           "name": "城东街道便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-CD-V01",
                     *           "name": "柳杭社区便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-CD-V02",
                     *           "name": "大街社区便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-HALL",
                     *           "name": "博山区政务服务中心"
                     *         },
                     *         {
                     *           "code": "BS-ST",
                     *           "name": "山头街道便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-ST-V01",
                     *           "name": "古窑社区便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-YC",
                     *           "name": "域城镇便民服务中心"
                     *         },
                     *         {
                     *           "code": "BS-YC-V01",
                     *           "name": "岳庄村代办点"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAnnouncements: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 场所编码：该场所的公告与全区公告；不填则为全部当前公告 */
                place?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnnouncementPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    wechatLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "code": "0a1b2c3d4e5f"
                 *     }
                 */
                "application/json": components["schemas"]["LoginIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "citizen": {
                     *         "id_number": null,
                     *         "name": null,
                     *         "phone": null
                     *       },
                     *       "expires_in": 604800,
                     *       "token": "eyJzdWIiOjEsInYiOiIifQ.demo-token"
                     *     }
                     */
                    "application/json": components["schemas"]["CitizenLoginOut"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Citizen"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    saveMe: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Citizen"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateMe: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Citizen"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    bindPhone: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PhoneIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Citizen"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listRelatives: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelativePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    addRelative: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RelativeIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relative"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    endRelative: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 亲友 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功，无内容 */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listAuthorisations: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthorisationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    acceptAuthorisation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 授权请求 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Authorisation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listSlots: {
        parameters: {
            query?: {
                /** @description 开始日期（含），默认今天 */
                from?: string;
                /** @description 结束日期（含），默认可预约期的最后一天 */
                to?: string;
            };
            header?: never;
            path: {
                /**
                 * @description 场所编码
                 * @example BS-HALL
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "capacity": 6,
                     *           "date": "2026-12-01",
                     *           "end": "09:30",
                     *           "id": 114,
                     *           "kind": "regular",
                     *           "remaining": 6,
                     *           "reserved_remaining": 0,
                     *           "start": "09:00"
                     *         },
                     *         {
                     *           "capacity": 6,
                     *           "date": "2026-12-01",
                     *           "end": "10:00",
                     *           "id": 115,
                     *           "kind": "regular",
                     *           "remaining": 6,
                     *           "reserved_remaining": 0,
                     *           "start": "09:30"
                     *         }
                     *       ],
                     *       "total": 20
                     *     }
                     */
                    "application/json": components["schemas"]["SlotPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMyBookings: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "cancel_reason": null,
                     *           "cancelled_at": null,
                     *           "cancelled_by": null,
                     *           "checked_in_at": "2026-12-01T08:50:00+08:00",
                     *           "code": "B5PD5BP3",
                     *           "created_at": "2026-11-30T09:00:00+08:00",
                     *           "for": null,
                     *           "help_type": "assist",
                     *           "item": {
                     *             "code": "SB-001",
                     *             "name": "城乡居民基本养老保险参保登记"
                     *           },
                     *           "note": "需要填表指导",
                     *           "place": {
                     *             "code": "BS-HALL",
                     *             "name": "博山区政务服务中心"
                     *           },
                     *           "slot": {
                     *             "capacity": 6,
                     *             "date": "2026-12-01",
                     *             "end": "09:30",
                     *             "id": 114,
                     *             "kind": "regular",
                     *             "remaining": 5,
                     *             "reserved_remaining": 0,
                     *             "start": "09:00"
                     *           },
                     *           "status": "checked_in",
                     *           "status_label": "已签到",
                     *           "ticket": {
                     *             "number": "A012",
                     *             "status": "waiting"
                     *           }
                     *         },
                     *         {
                     *           "cancel_reason": null,
                     *           "cancelled_at": null,
                     *           "cancelled_by": null,
                     *           "checked_in_at": null,
                     *           "code": "B5PD5BP3",
                     *           "created_at": "2026-11-30T09:00:00+08:00",
                     *           "for": null,
                     *           "help_type": "assist",
                     *           "item": {
                     *             "code": "SB-001",
                     *             "name": "城乡居民基本养老保险参保登记"
                     *           },
                     *           "note": "需要填表指导",
                     *           "place": {
                     *             "code": "BS-HALL",
                     *             "name": "博山区政务服务中心"
                     *           },
                     *           "slot": {
                     *             "capacity": 6,
                     *             "date": "2026-12-01",
                     *             "end": "09:30",
                     *             "id": 114,
                     *             "kind": "regular",
                     *             "remaining": 5,
                     *             "reserved_remaining": 0,
                     *             "start": "09:00"
                     *           },
                     *           "status": "booked",
                     *           "status_label": "已预约",
                     *           "ticket": null
                     *         }
                     *       ],
                     *       "total": 2
                     *     }
                     */
                    "application/json": components["schemas"]["BookingPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createBooking: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "slot": 114,
                 *       "item": "SB-001",
                 *       "help_type": "assist",
                 *       "note": "需要填表指导"
                 *     }
                 */
                "application/json": components["schemas"]["CitizenBookingIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "cancel_reason": null,
                     *       "cancelled_at": null,
                     *       "cancelled_by": null,
                     *       "checked_in_at": null,
                     *       "code": "B5PD5BP3",
                     *       "created_at": "2026-11-30T09:00:00+08:00",
                     *       "for": null,
                     *       "help_type": "assist",
                     *       "item": {
                     *         "code": "SB-001",
                     *         "name": "城乡居民基本养老保险参保登记"
                     *       },
                     *       "note": "需要填表指导",
                     *       "place": {
                     *         "code": "BS-HALL",
                     *         "name": "博山区政务服务中心"
                     *       },
                     *       "slot": {
                     *         "capacity": 6,
                     *         "date": "2026-12-01",
                     *         "end": "09:30",
                     *         "id": 114,
                     *         "kind": "regular",
                     *         "remaining": 5,
                     *         "reserved_remaining": 0,
                     *         "start": "09:00"
                     *       },
                     *       "status": "booked",
                     *       "status_label": "已预约",
                     *       "ticket": null
                     *     }
                     */
                    "application/json": components["schemas"]["Booking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    cancelBooking: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Booking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rescheduleBooking: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RescheduleIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Booking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMyCases: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseSummaryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "item": "SB-001",
                 *       "place": "BS-HALL",
                 *       "help_type": "assist",
                 *       "applicant": {
                 *         "name": "王秀英",
                 *         "phone": "13800138000",
                 *         "id_number": "11010519491231002X"
                 *       },
                 *       "materials": [
                 *         "SFZ"
                 *       ],
                 *       "booking": "B5PD5BP3",
                 *       "special_group": "老年人"
                 *     }
                 */
                "application/json": components["schemas"]["CaseIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accepted_on": null,
                     *       "agent": {
                     *         "name": "李帮办",
                     *         "phone": null
                     *       },
                     *       "agreement": null,
                     *       "applicant": {
                     *         "enterprise_name": null,
                     *         "id_number": "110***********002X",
                     *         "name": "王秀英",
                     *         "phone": "138****8000",
                     *         "uscc": null
                     *       },
                     *       "booking": "B5PD5BP3",
                     *       "created_at": "2026-11-30T09:00:00+08:00",
                     *       "for": null,
                     *       "deadline_state": "normal",
                     *       "due_date": null,
                     *       "fee": null,
                     *       "finished_at": null,
                     *       "help_type": "assist",
                     *       "item": {
                     *         "code": "SB-001",
                     *         "name": "城乡居民基本养老保险参保登记"
                     *       },
                     *       "materials": [
                     *         {
                     *           "code": "SFZ",
                     *           "name": "居民身份证",
                     *           "state": "declared"
                     *         },
                     *         {
                     *           "code": "HKB",
                     *           "name": "居民户口簿",
                     *           "state": "missing"
                     *         },
                     *         {
                     *           "code": "JMYBCB",
                     *           "name": "城乡居民基本养老保险参保登记表",
                     *           "state": "missing"
                     *         }
                     *       ],
                     *       "notices": [],
                     *       "number": "BS-20261130-0001",
                     *       "place": {
                     *         "code": "BS-HALL",
                     *         "name": "博山区政务服务中心"
                     *       },
                     *       "reject_reason": null,
                     *       "review": null,
                     *       "special_group": "老年人",
                     *       "status": "submitted",
                     *       "status_label": "已提交，待审查材料",
                     *       "tasks": [],
                     *       "visit": null,
                     *       "timeline": [
                     *         {
                     *           "action": "submit",
                     *           "at": "2026-11-30T09:00:00+08:00",
                     *           "label": "提交申请",
                     *           "note": null,
                     *           "status": "submitted",
                     *           "status_label": "已提交，待审查材料"
                     *         }
                     *       ],
                     *       "received_on": "2026-11-30",
                     *       "deemed_accepted": false,
                     *       "clock": {
                     *         "working_days": 5,
                     *         "used": 0,
                     *         "remaining": 5,
                     *         "paused": false,
                     *         "suspensions": [],
                     *         "extensions": []
                     *       },
                     *       "commission": null
                     *     }
                     */
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMyProjects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accepted_on": "2026-11-30",
                     *       "agent": {
                     *         "name": "李帮办",
                     *         "phone": null
                     *       },
                     *       "agreement": null,
                     *       "applicant": {
                     *         "enterprise_name": null,
                     *         "id_number": "110***********002X",
                     *         "name": "王秀英",
                     *         "phone": "138****8000",
                     *         "uscc": null
                     *       },
                     *       "booking": "B5PD5BP3",
                     *       "created_at": "2026-11-30T09:00:00+08:00",
                     *       "for": null,
                     *       "deadline_state": "normal",
                     *       "due_date": "2026-12-07",
                     *       "fee": null,
                     *       "finished_at": null,
                     *       "help_type": "assist",
                     *       "item": {
                     *         "code": "SB-001",
                     *         "name": "城乡居民基本养老保险参保登记"
                     *       },
                     *       "materials": [
                     *         {
                     *           "code": "SFZ",
                     *           "name": "居民身份证",
                     *           "state": "declared"
                     *         },
                     *         {
                     *           "code": "HKB",
                     *           "name": "居民户口簿",
                     *           "state": "declared"
                     *         },
                     *         {
                     *           "code": "JMYBCB",
                     *           "name": "城乡居民基本养老保险参保登记表",
                     *           "state": "declared"
                     *         }
                     *       ],
                     *       "notices": [],
                     *       "number": "BS-20261130-0001",
                     *       "place": {
                     *         "code": "BS-HALL",
                     *         "name": "博山区政务服务中心"
                     *       },
                     *       "reject_reason": null,
                     *       "review": null,
                     *       "special_group": "老年人",
                     *       "status": "accepted",
                     *       "status_label": "已受理",
                     *       "tasks": [],
                     *       "visit": null,
                     *       "timeline": [
                     *         {
                     *           "action": "submit",
                     *           "at": "2026-11-30T09:00:00+08:00",
                     *           "label": "提交申请",
                     *           "note": null,
                     *           "status": "submitted",
                     *           "status_label": "已提交，待审查材料"
                     *         },
                     *         {
                     *           "action": "accept",
                     *           "at": "2026-11-30T09:00:00+08:00",
                     *           "label": "材料齐全，已受理",
                     *           "note": "承诺时限5个工作日，承诺办结日期：2026-12-07",
                     *           "status": "accepted",
                     *           "status_label": "已受理"
                     *         }
                     *       ],
                     *       "received_on": "2026-11-30",
                     *       "deemed_accepted": false,
                     *       "clock": {
                     *         "working_days": 5,
                     *         "used": 0,
                     *         "remaining": 5,
                     *         "paused": false,
                     *         "suspensions": [],
                     *         "extensions": []
                     *       },
                     *       "commission": null
                     *     }
                     */
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    supplementMaterials: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SupplementIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAgreement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgreementText"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    signAgreement: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgreementIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    withdrawCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    terminateCommission: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TerminateIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Case"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listCaseDocuments: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getCaseDocumentPdf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
                /**
                 * @description 文书 id（GET /cases/{number}/documents）
                 * @example 1
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    reviewCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReviewIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    staffLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "username": "agent1",
                 *       "password": "正确的密码"
                 *     }
                 */
                "application/json": components["schemas"]["StaffLoginIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "expires_in": 604800,
                     *       "staff": {
                     *         "department": {
                     *           "code": "RSJ",
                     *           "name": "区人力资源和社会保障局"
                     *         },
                     *         "name": "李帮办",
                     *         "places": [
                     *           {
                     *             "code": "BS-HALL",
                     *             "name": "博山区政务服务中心"
                     *           }
                     *         ],
                     *         "role": "agent",
                     *         "role_label": "帮办代办员",
                     *         "username": "agent1"
                     *       },
                     *       "token": "eyJzdWIiOjEsInYiOiIifQ.demo-token"
                     *     }
                     */
                    "application/json": components["schemas"]["StaffLoginOut"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    staffLogout: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功，无内容 */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listStaffBookings: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 预约日期，默认今天 */
                date?: string;
                /** @description 场所编码 */
                place?: string;
                /** @description 时段类型：regular、extended、weekend、holiday */
                kind?: "regular" | "extended" | "weekend" | "holiday";
                /** @description 预约状态 */
                status?: "booked" | "cancelled" | "checked_in" | "no_show";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffBookingPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    bookForPerson: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StaffBookingIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffBooking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    cancelForPerson: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffBooking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    checkInBooking: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 预约码（8位，现场签到用）
                 * @example 7KQ2M9XD
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Booking"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listStaffCases: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 办件状态 */
                status?: "submitted" | "materials_incomplete" | "accepted" | "handed_over" | "in_progress" | "completed" | "returned" | "withdrawn" | "rejected" | "terminated";
                /** @description 时限预警：normal、amber、red */
                deadline_state?: "normal" | "amber" | "red";
                /** @description 场所编码 */
                place?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "accepted_on": null,
                     *           "actions": [
                     *             "check",
                     *             "reject",
                     *             "escalate"
                     *           ],
                     *           "agent": {
                     *             "name": "李帮办",
                     *             "phone": null,
                     *             "username": "agent1"
                     *           },
                     *           "contact_agent": null,
                     *           "agreement": null,
                     *           "applicant": {
                     *             "enterprise_name": null,
                     *             "id_number": "110***********002X",
                     *             "name": "王秀英",
                     *             "phone": "138****8000",
                     *             "uscc": null
                     *           },
                     *           "channel": "online",
                     *           "booking": "B5PD5BP3",
                     *           "created_at": "2026-11-30T09:00:00+08:00",
                     *           "for": null,
                     *           "deadline_state": "normal",
                     *           "due_date": null,
                     *           "escalations": [],
                     *           "fee": null,
                     *           "finished_at": null,
                     *           "help_type": "assist",
                     *           "item": {
                     *             "code": "SB-001",
                     *             "name": "城乡居民基本养老保险参保登记"
                     *           },
                     *           "materials": [
                     *             {
                     *               "code": "SFZ",
                     *               "name": "居民身份证",
                     *               "state": "declared"
                     *             },
                     *             {
                     *               "code": "HKB",
                     *               "name": "居民户口簿",
                     *               "state": "missing"
                     *             },
                     *             {
                     *               "code": "JMYBCB",
                     *               "name": "城乡居民基本养老保险参保登记表",
                     *               "state": "missing"
                     *             }
                     *           ],
                     *           "notices": [],
                     *           "number": "BS-20261130-0001",
                     *           "place": {
                     *             "code": "BS-HALL",
                     *             "name": "博山区政务服务中心"
                     *           },
                     *           "reject_reason": null,
                     *           "review": null,
                     *           "special_group": "老年人",
                     *           "status": "submitted",
                     *           "status_label": "已提交，待审查材料",
                     *           "tasks": [],
                     *           "visit": null,
                     *           "timeline": [
                     *             {
                     *               "action": "submit",
                     *               "at": "2026-11-30T09:00:00+08:00",
                     *               "label": "提交申请",
                     *               "note": null,
                     *               "status": "submitted",
                     *               "status_label": "已提交，待审查材料"
                     *             }
                     *           ],
                     *           "received_on": "2026-11-30",
                     *           "deemed_accepted": false,
                     *           "clock": {
                     *             "working_days": 5,
                     *             "used": 0,
                     *             "remaining": 5,
                     *             "paused": false,
                     *             "suspensions": [],
                     *             "extensions": []
                     *           },
                     *           "commission": null
                     *         }
                     *       ],
                     *       "total": 1
                     *     }
                     */
                    "application/json": components["schemas"]["StaffCasePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    takeCaseAtWindow: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WindowCaseIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getStaffCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    assignCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssignIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    checkMaterials: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "missing": []
                 *     }
                 */
                "application/json": components["schemas"]["CheckIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accepted_on": "2026-11-30",
                     *       "actions": [
                     *         "start",
                     *         "escalate"
                     *       ],
                     *       "agent": {
                     *         "name": "李帮办",
                     *         "phone": null,
                     *         "username": "agent1"
                     *       },
                     *       "contact_agent": null,
                     *       "agreement": null,
                     *       "applicant": {
                     *         "enterprise_name": null,
                     *         "id_number": "110***********002X",
                     *         "name": "王秀英",
                     *         "phone": "138****8000",
                     *         "uscc": null
                     *       },
                     *       "channel": "online",
                     *       "booking": "B5PD5BP3",
                     *       "created_at": "2026-11-30T09:00:00+08:00",
                     *       "for": null,
                     *       "deadline_state": "normal",
                     *       "due_date": "2026-12-07",
                     *       "escalations": [],
                     *       "fee": null,
                     *       "finished_at": null,
                     *       "help_type": "assist",
                     *       "item": {
                     *         "code": "SB-001",
                     *         "name": "城乡居民基本养老保险参保登记"
                     *       },
                     *       "materials": [
                     *         {
                     *           "code": "SFZ",
                     *           "name": "居民身份证",
                     *           "state": "declared"
                     *         },
                     *         {
                     *           "code": "HKB",
                     *           "name": "居民户口簿",
                     *           "state": "declared"
                     *         },
                     *         {
                     *           "code": "JMYBCB",
                     *           "name": "城乡居民基本养老保险参保登记表",
                     *           "state": "declared"
                     *         }
                     *       ],
                     *       "notices": [],
                     *       "number": "BS-20261130-0001",
                     *       "place": {
                     *         "code": "BS-HALL",
                     *         "name": "博山区政务服务中心"
                     *       },
                     *       "reject_reason": null,
                     *       "review": null,
                     *       "special_group": "老年人",
                     *       "status": "accepted",
                     *       "status_label": "已受理",
                     *       "tasks": [],
                     *       "visit": null,
                     *       "timeline": [
                     *         {
                     *           "action": "submit",
                     *           "at": "2026-11-30T09:00:00+08:00",
                     *           "label": "提交申请",
                     *           "note": null,
                     *           "status": "submitted",
                     *           "status_label": "已提交，待审查材料"
                     *         },
                     *         {
                     *           "action": "accept",
                     *           "at": "2026-11-30T09:00:00+08:00",
                     *           "label": "材料齐全，已受理",
                     *           "note": "承诺时限5个工作日，承诺办结日期：2026-12-07",
                     *           "status": "accepted",
                     *           "status_label": "已受理"
                     *         }
                     *       ],
                     *       "received_on": "2026-11-30",
                     *       "deemed_accepted": false,
                     *       "clock": {
                     *         "working_days": 5,
                     *         "used": 0,
                     *         "remaining": 5,
                     *         "paused": false,
                     *         "suspensions": [],
                     *         "extensions": []
                     *       },
                     *       "commission": null
                     *     }
                     */
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rejectCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    handOverMaterials: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HandoverIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    recordPaperAgreement: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    startCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    recordProgress: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProgressIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    completeCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["NoteIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    returnMaterials: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    escalateCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequiredNoteIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Escalation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    forwardCase: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForwardIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    closeReviewFollowup: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FollowupIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listEscalations: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description 只看未解决的 */
                open?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EscalationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resolveEscalation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 难点堵点 id
                 * @example 1
                 */
                escalation_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequiredNoteIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Escalation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    lookUpPerson: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PersonLookupIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonHistory"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    confirmSpecialGroup: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SpecialGroupIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpecialGroup"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    endSpecialGroup: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 特殊群体确认 id
                 * @example 1
                 */
                confirmation_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpecialGroup"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    confirmRelativeAtWindow: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 亲友 id
                 * @example 1
                 */
                relative_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WindowConfirmIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffRelative"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    scheduleVisit: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VisitScheduleIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    declineVisit: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    recordVisit: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VisitRecordIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    suspendClock: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuspendIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    resumeClock: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["NoteIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    extendDeadline: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExtendIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    terminateCommissionByHall: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RejectIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    renewCommission: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RenewIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffCase"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listStaffCaseDocuments: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    printCaseDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 办件编号 BS-YYYYMMDD-NNNN
                 * @example BS-20261130-0001
                 */
                number: string;
                /**
                 * @description 文书 id（GET /cases/{number}/documents）
                 * @example 1
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listVisits: {
        parameters: {
            query?: {
                /** @description 日期，默认今天 */
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitDayPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getSubscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscriptions"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    acceptSubscriptions: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriptionsIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscriptions"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    bindStaffWeChat: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StaffWeChatBindIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffWeChat"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getPlaceQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 场所编码
                 * @example BS-HALL
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "open": true,
                     *       "windows_open": 3,
                     *       "queues": [
                     *         {
                     *           "code": "A",
                     *           "name": "社保医保",
                     *           "waiting": 7,
                     *           "estimated_wait_minutes": 14
                     *         },
                     *         {
                     *           "code": "B",
                     *           "name": "不动产登记",
                     *           "waiting": 2,
                     *           "estimated_wait_minutes": 10
                     *         },
                     *         {
                     *           "code": "C",
                     *           "name": "综合受理",
                     *           "waiting": 0,
                     *           "estimated_wait_minutes": null
                     *         }
                     *       ],
                     *       "updated_at": "2026-12-01T09:42:10+08:00"
                     *     }
                     */
                    "application/json": components["schemas"]["PlaceQueue"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMyTickets: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    takeTicket: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "place": "BS-HALL",
                 *       "item": "SB-001",
                 *       "for": null
                 *     }
                 */
                "application/json": components["schemas"]["TicketIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "number": "A019",
                     *       "place": {
                     *         "code": "BS-HALL",
                     *         "name": "博山区政务服务中心"
                     *       },
                     *       "queue": {
                     *         "code": "A",
                     *         "name": "社保医保"
                     *       },
                     *       "item": {
                     *         "code": "SB-001",
                     *         "name": "城乡居民基本养老保险参保登记"
                     *       },
                     *       "status": "waiting",
                     *       "status_label": "等候中",
                     *       "channel": "online",
                     *       "green_channel": false,
                     *       "ahead": 7,
                     *       "estimated_wait_minutes": 14,
                     *       "window": null,
                     *       "called_at": null,
                     *       "created_at": "2026-12-01T09:42:10+08:00",
                     *       "for": null
                     *     }
                     */
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    cancelTicket: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 排队号（当天的号，如 A001）
                 * @example A001
                 */
                number: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ticket"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listConsultations: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsultationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    askConsultation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsultationIn"];
            };
        };
        responses: {
            /** @description 已创建 */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Consultation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listItemFaq: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
            };
            header?: never;
            path: {
                /**
                 * @description 事项编码
                 * @example SB-001
                 */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqEntryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listStaffConsultations: {
        parameters: {
            query?: {
                /** @description 页码，从1开始 */
                page?: number;
                /** @description 每页条数，最多100 */
                per_page?: number;
                /** @description open 待答复；answered 已答复；closed 已关闭 */
                status?: "open" | "answered" | "closed";
                /** @description 场所编码 */
                place?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffConsultationPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getStaffConsultation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffConsultation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    answerConsultation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConsultationAnswerIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffConsultation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    closeConsultation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequiredNoteIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffConsultation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    publishConsultation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 幂等键：同一用户以同一键重试时，返回首次成功的答复而不重复创建
                 * @example a1b2c3d4-booking-1
                 */
                "Idempotency-Key"?: string;
            };
            path: {
                /**
                 * @description 咨询 id
                 * @example 1
                 */
                consultation_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FaqPublishIn"];
            };
        };
        responses: {
            /** @description 成功 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffFaqEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
