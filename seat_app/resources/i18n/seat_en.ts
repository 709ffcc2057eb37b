<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>CaseController</name>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="68"/>
        <source>音频设备不可用：{0}</source>
        <translation>Audio unavailable: {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="117"/>
        <source>识别为{0}，已自动归类</source>
        <translation>Recognised as {0}; relabelled automatically</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="127"/>
        <source>案件保持打开：{0}</source>
        <translation>Case kept open: {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="137"/>
        <source>{0}×{1} · {2:.0f} 帧/秒 · {3}</source>
        <translation>{0}×{1} · {2:.0f} fps · {3}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="146"/>
        <source>还没有收到视频画面</source>
        <translation>no video frame received yet</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="147"/>
        <source>{0}失败：{1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/case_controller.py" line="213"/>
        <source>已推送：{0}</source>
        <translation>Sent: {0}</translation>
    </message>
</context>
<context>
    <name>ChecklistWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="47"/>
        <source>提交责任认定</source>
        <translation>Submit for liability</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="50"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="65"/>
        <source>清单齐全后提交民警责任认定（{0}）</source>
        <translation>Submit to an officer for liability once the checklist is complete ({0})</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="66"/>
        <source>不适用视频快处时转交现场民警（{0}）</source>
        <translation>Hand over to an on-scene officer when video processing does not apply ({0})</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="72"/>
        <source>接听案件后显示清单</source>
        <translation>The checklist appears once a case is answered</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="83"/>
        <source>清单已齐全，可以提交</source>
        <translation>Checklist complete: ready to submit</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="84"/>
        <source>还缺 {0} 项</source>
        <translation>{0} items missing</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="107"/>
        <source>确认已落实</source>
        <translation>Confirm done</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/checklist_widget.py" line="108"/>
        <source>当事人已开启双闪、放置三角牌并撤离到安全地带</source>
        <translation>The parties switched on hazard lights, placed the triangle and moved to safety</translation>
    </message>
</context>
<context>
    <name>EscalateDialog</name>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="18"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="22"/>
        <source>（选择常见原因）</source>
        <translation>(choose a common reason)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="22"/>
        <source>有人员受伤</source>
        <translation>Somebody is hurt</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="22"/>
        <source>车辆无法移动</source>
        <translation>Vehicle cannot be moved</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="23"/>
        <source>驾驶人疑似饮酒、吸毒或有逃逸情形</source>
        <translation>Suspected drink, drugs or flight</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="23"/>
        <source>证件无效或未投保交强险</source>
        <translation>Invalid documents or no compulsory insurance</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="24"/>
        <source>当事人不同意视频快处</source>
        <translation>Party does not agree to video processing</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="24"/>
        <source>不在服务时间或服务区域</source>
        <translation>Outside service hours or area</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="28"/>
        <source>请填写转现场处理的原因（必填）</source>
        <translation>Reason for escalation (required)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="31"/>
        <source>确认转现场</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="32"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/escalate_dialog.py" line="36"/>
        <source>将派民警到现场处理，请说明原因：</source>
        <translation>An officer will be sent to the scene. Reason:</translation>
    </message>
</context>
<context>
    <name>EvidenceGalleryWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="73"/>
        <source>上传失败</source>
        <translation>Upload failed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="75"/>
        <source>识别中…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="77"/>
        <source>识别失败</source>
        <translation>OCR failed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="79"/>
        <source>上传中…</source>
        <translation>Uploading…</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="81"/>
        <source>已识别 {0} 项</source>
        <translation>{0} fields read</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/evidence_gallery_widget.py" line="81"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
</context>
<context>
    <name>InstructionWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="16"/>
        <source>安全</source>
        <translation>Safety</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="16"/>
        <source>引导拍摄</source>
        <translation>What to show</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="16"/>
        <source>结束</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="23"/>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="24"/>
        <source>把选中的标准用语推送到当事人手机（或双击该用语）</source>
        <translation>Send the selected phrase to the party&apos;s phone (or double-click it)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/instruction_widget.py" line="27"/>
        <source>自定义提示，回车发送</source>
        <translation>Own instruction, Enter sends</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="18"/>
        <source>快处坐席 - 登录</source>
        <translation>Kuaichu seat - Log in</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="27"/>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="57"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="33"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="34"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="35"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="37"/>
        <source>交通事故视频快处 · 坐席</source>
        <translation>Traffic accident video processing · Seat</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="49"/>
        <source>请输入用户名和密码</source>
        <translation>Enter user name and password</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/login_dialog.py" line="57"/>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../seat_app/ui/main_window.py" line="20"/>
        <source>快处 · 交通事故视频快处坐席</source>
        <translation>Kuaichu · Traffic accident video seat</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/main_window.py" line="45"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/main_window.py" line="46"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>OperatorController</name>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="50"/>
        <source>接警处理</source>
        <extracomment>makes the seat socket from its address (``SeatSocket``, or a fake in the UI tests)</extracomment>
        <translation>Calls</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="95"/>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="129"/>
        <source>请先处理完当前案件</source>
        <translation>Finish the current case first</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="119"/>
        <source>● 已连接服务器</source>
        <translation>● Connected to server</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="119"/>
        <source>○ 实时连接中断，正在重连…</source>
        <translation>○ Live link down, reconnecting…</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="123"/>
        <source>{0}失败：{1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="127"/>
        <source>该案件已被其他坐席接听：{0}</source>
        <translation>Another seat answered this case: {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="136"/>
        <source>已补传上次未上传的录像 {0} 段</source>
        <translation>Uploaded {0} recording segment(s) left from last time</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="138"/>
        <source>{0} 段录像不完整，已移至 rejected 文件夹</source>
        <translation>{0} incomplete segment(s) moved to the rejected folder</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="140"/>
        <source>{0} 段录像待下次登录后上传</source>
        <translation>{0} segment(s) will be uploaded after the next login</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="141"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_controller.py" line="156"/>
        <source>已接听案件 {0}</source>
        <translation>Answered case {0}</translation>
    </message>
</context>
<context>
    <name>OperatorWorkspace</name>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="48"/>
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="49"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="52"/>
        <source>清单</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="53"/>
        <source>提示当事人</source>
        <translation>Instruct party</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="55"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/operator/operator_workspace.py" line="59"/>
        <source>队列</source>
        <translation>Queue</translation>
    </message>
</context>
<context>
    <name>OverlayWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="122"/>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="143"/>
        <source>选择一张证据查看识别结果</source>
        <translation>Select a picture to see what OCR read</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="123"/>
        <source>全部采用</source>
        <translation>Apply all valid</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="137"/>
        <source>把所有识别有效（绿色）的内容填入当事人信息（{0}）</source>
        <translation>Fill every valid (green) reading into the party ({0})</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="150"/>
        <source>{0}：识别中…</source>
        <translation>{0}: reading…</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/overlay_widget.py" line="152"/>
        <source>{0}：识别到 {1} 项有效内容</source>
        <translation>{0}: {1} valid readings</translation>
    </message>
</context>
<context>
    <name>PartiesWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="20"/>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="52"/>
        <source>未接听案件</source>
        <translation>No case answered</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="22"/>
        <source>添加车辆</source>
        <translation>Add vehicle</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="24"/>
        <source>添加非机动车</source>
        <translation>Add non-motor party</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="26"/>
        <source>全部核验</source>
        <translation>Verify all</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="47"/>
        <source>核验所有机动车当事方（{0}）</source>
        <translation>Verify every motor-vehicle party ({0})</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/parties_widget.py" line="56"/>
        <source>案件 {0}</source>
        <translation>Case {0}</translation>
    </message>
</context>
<context>
    <name>PartyFormWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="44"/>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="45"/>
        <source>向车驾管与保险系统核验驾驶证、机动车和交强险</source>
        <translation>Check licence, vehicle and compulsory insurance with the registry</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="68"/>
        <source>待识别</source>
        <translation>Waiting for OCR</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="80"/>
        <source>核验结果</source>
        <translation>Registry checks</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="92"/>
        <source>机动车</source>
        <translation>Motor vehicle</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="92"/>
        <source>非机动车</source>
        <translation>Non-motor</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="115"/>
        <source>未填写</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="115"/>
        <source>格式正确</source>
        <translation>Well-formed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="116"/>
        <source>格式不正确</source>
        <translation>Malformed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/party_form_widget.py" line="124"/>
        <source>未核验</source>
        <translation>Not verified</translation>
    </message>
</context>
<context>
    <name>QueueWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="52"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="52"/>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="52"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="52"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="63"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="66"/>
        <source>暂无等待的案件</source>
        <translation>No cases waiting</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="80"/>
        <source>接听选中的案件（{0}，或双击）</source>
        <translation>Answer the selected case ({0}, or double-click)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="94"/>
        <source>排队中（{0}）</source>
        <translation>Waiting ({0})</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="99"/>
        <source>位置未知</source>
        <translation>Location unknown</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="101"/>
        <source>重新接入（原坐席）</source>
        <translation>Rejoining (your case)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="101"/>
        <source>重新接入</source>
        <translation>Rejoining</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="103"/>
        <source>等待接听</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/queue_widget.py" line="103"/>
        <source>手机未连接</source>
        <translation>Phone not connected</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="30"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="34"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="35"/>
        <source>音频设备</source>
        <translation>Audio devices</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="36"/>
        <source>快捷键</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="38"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="39"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="50"/>
        <source>校验服务器证书</source>
        <translation>Verify the server certificate</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="60"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="62"/>
        <source>界面语言（重启后生效）</source>
        <translation>Language (after restart)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="63"/>
        <source>视频刷新率</source>
        <translation>Video refresh rate</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="69"/>
        <source>启用通话音频</source>
        <translation>Enable call audio</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="74"/>
        <source>麦克风</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="75"/>
        <source>扬声器/耳机</source>
        <translation>Speaker / headset</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="80"/>
        <source>系统默认</source>
        <translation>System default</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="84"/>
        <source>{0}（未连接）</source>
        <translation>{0} (not connected)</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="92"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="92"/>
        <source>截图取证</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="92"/>
        <source>拍原图</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="93"/>
        <source>切换摄像头</source>
        <translation>Switch camera</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="93"/>
        <source>闪光灯</source>
        <translation>Torch</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="93"/>
        <source>静音</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="94"/>
        <source>结束通话</source>
        <translation>End call</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="94"/>
        <source>全部采用</source>
        <translation>Apply all valid</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="94"/>
        <source>全部核验</source>
        <translation>Verify all</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="95"/>
        <source>提交责任认定</source>
        <translation>Submit for liability</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/dialogs/settings_dialog.py" line="95"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
</context>
<context>
    <name>ShellController</name>
    <message>
        <location filename="../../seat_app/ui/shell_controller.py" line="85"/>
        <source>无法连接服务器 {0}，请检查网络或服务器地址后重试</source>
        <extracomment>``client_factory(server_url, timeout=..., verify=...)`` -&gt; the REST client (ApiClient, or a fake) ``workspaces(key, window, settings)`` -&gt; a new workspace (seat_app.ui.workspaces.catalogue.Workspaces)</extracomment>
        <translation>Cannot reach server {0}. Check the network or the server address and try again.</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/shell_controller.py" line="93"/>
        <source>账号 {0} 的角色（{1}）在坐席端没有可用的工作区，请联系管理员</source>
        <translation>Account {0} has a role ({1}) with no workspace in the seat app. Please contact your administrator.</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/shell_controller.py" line="94"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/shell_controller.py" line="98"/>
        <source>当前用户：{0}</source>
        <translation>User: {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/shell_controller.py" line="148"/>
        <source>登录已过期，请重新登录（当前案件保持打开）</source>
        <translation>Your session expired. Please log in again (the open case stays open).</translation>
    </message>
</context>
<context>
    <name>VideoWidget</name>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="98"/>
        <source>暂无视频</source>
        <translation>No video</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="125"/>
        <source>截图取证</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="129"/>
        <source>下一张：</source>
        <translation>Next shot:</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="132"/>
        <source>拍原图</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="134"/>
        <source>切换摄像头</source>
        <translation>Switch camera</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="136"/>
        <source>闪光灯</source>
        <translation>Torch</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="139"/>
        <source>静音</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="142"/>
        <source>结束通话</source>
        <translation>End call</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="158"/>
        <source>截取当前画面（全分辨率）作为证据</source>
        <translation>Capture the current frame (full resolution) as evidence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="159"/>
        <source>让手机拍摄一张全分辨率照片</source>
        <translation>Ask the phone for a full-resolution photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="160"/>
        <source>切换手机前后摄像头</source>
        <translation>Switch the phone between back and front camera</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="161"/>
        <source>打开或关闭手机闪光灯</source>
        <translation>Turn the phone&apos;s torch on or off</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="162"/>
        <source>关闭或打开坐席麦克风</source>
        <translation>Mute or unmute the seat microphone</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="163"/>
        <source>结束与当事人的通话</source>
        <translation>End the call with the party</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="195"/>
        <source>● 录制中</source>
        <translation>● Recording</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/widgets/video_widget.py" line="220"/>
        <source>{0}×{1}</source>
        <translation>{0}×{1}</translation>
    </message>
</context>
<context>
    <name>audio</name>
    <message>
        <location filename="../../seat_app/app.py" line="85"/>
        <source>没有可用的麦克风</source>
        <translation>no microphone</translation>
    </message>
    <message>
        <location filename="../../seat_app/app.py" line="85"/>
        <source>没有可用的扬声器</source>
        <translation>no speaker</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="22"/>
        <source>驾驶人姓名</source>
        <translation>Driver name</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="23"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="24"/>
        <source>准驾车型</source>
        <translation>Licence class</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="25"/>
        <source>驾驶证起始日期</source>
        <translation>Licence valid from</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="26"/>
        <source>驾驶证有效期至</source>
        <translation>Licence valid until</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="27"/>
        <source>号牌号码</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="28"/>
        <source>号牌颜色</source>
        <translation>Plate colour</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="29"/>
        <source>车辆类型</source>
        <translation>Vehicle type</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="30"/>
        <source>车辆识别代号</source>
        <translation>VIN</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="31"/>
        <source>所有人</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="32"/>
        <source>保险公司</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="33"/>
        <source>交强险保单号</source>
        <translation>Policy number</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="34"/>
        <source>保险起始日期</source>
        <translation>Insurance valid from</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="35"/>
        <source>保险有效期至</source>
        <translation>Insurance valid until</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="36"/>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="42"/>
        <source>驾驶人</source>
        <translation>Driver</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="42"/>
        <source>车辆</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="42"/>
        <location filename="../../seat_app/ui/labels.py" line="47"/>
        <source>交强险</source>
        <translation>Compulsory insurance</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="68"/>
        <source>驾驶证</source>
        <translation>driving licence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="46"/>
        <source>机动车</source>
        <translation>Motor vehicle</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="46"/>
        <source>驾驶证</source>
        <comment>registry check</comment>
        <translation>Driving licence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="54"/>
        <source>{0}方</source>
        <translation>Party {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="55"/>
        <source>第{0}方</source>
        <translation>Party {0}</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="59"/>
        <source>甲</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="59"/>
        <source>乙</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="59"/>
        <source>丙</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="59"/>
        <source>丁</source>
        <translation>D</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="65"/>
        <source>现场全景</source>
        <translation>Scene</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="66"/>
        <source>碰撞部位</source>
        <translation>Point of impact</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="67"/>
        <source>号牌</source>
        <translation>plate</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="69"/>
        <source>行驶证</source>
        <translation>vehicle licence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="70"/>
        <source>交强险保单</source>
        <translation>Insurance policy</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="71"/>
        <source>各方同框</source>
        <translation>All parties together</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="72"/>
        <source>其他照片</source>
        <translation>Other photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="79"/>
        <location filename="../../seat_app/ui/labels.py" line="155"/>
        <source>截图</source>
        <translation>Frame</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="79"/>
        <source>原图</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="84"/>
        <source>已开启危险报警闪光灯</source>
        <translation>Hazard lights on</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="85"/>
        <source>已放置三角警告牌</source>
        <translation>Warning triangle placed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="86"/>
        <source>人员已撤离到安全地带</source>
        <translation>People moved to a safe place</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="92"/>
        <source>是否有人员受伤？</source>
        <translation>Is anybody hurt?</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="93"/>
        <source>驾驶人是否有饮酒、吸毒或逃逸情形？</source>
        <translation>Any sign of drink, drugs or flight?</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="94"/>
        <source>车辆能否自行移动？</source>
        <translation>Can the vehicles be driven away?</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="95"/>
        <source>机动车一方是否应承担事故责任？</source>
        <translation>Is the motor vehicle at fault?</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="101"/>
        <source>无人受伤</source>
        <translation>Nobody hurt</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="101"/>
        <source>轻微伤</source>
        <translation>Minor injury</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="101"/>
        <source>有人受伤</source>
        <translation>Injured</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="103"/>
        <source>能移动</source>
        <translation>Can move</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="103"/>
        <source>不能移动</source>
        <translation>Cannot move</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="105"/>
        <source>有</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="105"/>
        <source>无</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="106"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="106"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="111"/>
        <source>当事方数量</source>
        <translation>Number of parties</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="112"/>
        <source>事故类型</source>
        <translation>Accident type</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="113"/>
        <source>人员伤亡</source>
        <translation>Injuries</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="114"/>
        <source>饮酒、吸毒、逃逸</source>
        <translation>Drink, drugs, flight</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="115"/>
        <source>车辆可移动</source>
        <translation>Vehicles can move</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="116"/>
        <source>机动车责任</source>
        <translation>Motor vehicle at fault</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="117"/>
        <source>服务时间</source>
        <translation>Service hours</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="118"/>
        <source>服务区域</source>
        <translation>Service area</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="123"/>
        <source>安全</source>
        <translation>Safety</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="123"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="123"/>
        <location filename="../../seat_app/ui/labels.py" line="156"/>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="124"/>
        <source>适用条件</source>
        <translation>Eligibility</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="136"/>
        <source>{0}信息核验</source>
        <translation>{0} verification</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="144"/>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="145"/>
        <source>通话中</source>
        <translation>In call</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="146"/>
        <source>视频中断，等待当事人继续处理</source>
        <translation>Video interrupted; waiting for the party to continue</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="147"/>
        <source>当事人已离开，等待当事人继续处理</source>
        <translation>The party left; waiting for them to continue</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="148"/>
        <source>通话已结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="155"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="155"/>
        <source>上传证据</source>
        <translation>Uploading evidence</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="155"/>
        <source>获取原图</source>
        <translation>Fetching the photo</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="156"/>
        <source>保存当事人信息</source>
        <translation>Saving party details</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="156"/>
        <source>添加当事方</source>
        <translation>Adding a party</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="157"/>
        <source>保存问答</source>
        <translation>Saving answers</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="157"/>
        <source>提交认定</source>
        <translation>Submitting</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="157"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="158"/>
        <source>开始采集</source>
        <translation>Starting collection</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="158"/>
        <source>刷新案件</source>
        <translation>Refreshing the case</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="158"/>
        <source>刷新队列</source>
        <translation>Refreshing the queue</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="159"/>
        <source>重新接入</source>
        <translation>Rejoining</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="159"/>
        <source>服务器连接</source>
        <translation>Server link</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="160"/>
        <source>推送提示</source>
        <translation>Sending the instruction</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="166"/>
        <source>已提交责任认定，当事人已被告知撤离现场</source>
        <translation>Submitted for liability; the parties were told to leave the scene</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="167"/>
        <source>已转现场处理</source>
        <translation>Escalated to an on-scene officer</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="168"/>
        <source>该案件已由其他坐席接手</source>
        <translation>Another seat took this case</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="169"/>
        <source>案件已关闭</source>
        <translation>Case closed</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/labels.py" line="170"/>
        <source>案件已交回队列</source>
        <translation>Case handed back to the queue</translation>
    </message>
</context>
<context>
    <name>workspaces</name>
    <message>
        <location filename="../../seat_app/ui/workspaces/placeholder.py" line="35"/>
        <source>责任认定</source>
        <translation>Liability</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/placeholder.py" line="36"/>
        <source>这里将列出等待责任认定的案件：查看证据和核验结果，逐方认定责任、违法行为和依据条款，然后出具责任认定书。此功能尚未开放。</source>
        <translation>Cases waiting for a liability decision will be listed here: review the evidence and the checks, decide each party's responsibility, violation and clause, then issue the liability document. Not available yet.</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/placeholder.py" line="44"/>
        <source>值班看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../seat_app/ui/workspaces/placeholder.py" line="45"/>
        <source>这里将显示本班的接听等待时间、处理时长和转现场处理比例。此功能尚未开放。</source>
        <translation>This shift's time to answer, handling time and escalation rate will be shown here. Not available yet.</translation>
    </message>
</context>
</TS>
