<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AuditPanel</name>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="34"/>
        <source>报警</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="34"/>
        <source>坐席接听</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="35"/>
        <source>开始采集</source>
        <translation>Collection started</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="35"/>
        <source>通话中断</source>
        <translation>Call interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="36"/>
        <source>当事人重新接入</source>
        <translation>Party rejoined</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="36"/>
        <source>当事人放弃</source>
        <translation>Party gave up</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="37"/>
        <source>转现场处理</source>
        <translation>Sent to the scene</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="37"/>
        <source>提交认定</source>
        <translation>Submitted for liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="38"/>
        <source>值班长转交</source>
        <translation>Handed over by the supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="38"/>
        <source>上传证据</source>
        <translation>Evidence uploaded</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="39"/>
        <source>保存识别结果</source>
        <translation>OCR stored</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="40"/>
        <source>证据改标签</source>
        <translation>Evidence relabelled</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="40"/>
        <source>添加当事方</source>
        <translation>Party added</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="41"/>
        <source>修改当事人信息</source>
        <translation>Party edited</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="41"/>
        <source>登记核验</source>
        <translation>Registry check</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="42"/>
        <source>记录询问结果</source>
        <translation>Answers recorded</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="42"/>
        <source>确认现场安全</source>
        <translation>Scene safety confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="43"/>
        <source>定位</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="43"/>
        <source>提示当事人</source>
        <translation>Instruction to party</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="44"/>
        <source>发送链接</source>
        <translation>Link sent</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="44"/>
        <source>撤销链接</source>
        <translation>Link revoked</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="45"/>
        <source>记录天气和备注</source>
        <translation>Weather and notes</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="45"/>
        <source>民警受理</source>
        <translation>Taken by officer</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="46"/>
        <source>退回补充证据</source>
        <translation>Sent back</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="46"/>
        <source>作出认定</source>
        <translation>Decided</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="47"/>
        <source>出具认定书</source>
        <translation>Document issued</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="56"/>
        <source>排队</source>
        <translation>queued</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="56"/>
        <source>通话中</source>
        <translation>in call</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="57"/>
        <source>采集中</source>
        <translation>collecting</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="57"/>
        <source>中断</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="58"/>
        <source>转现场</source>
        <translation>escalated</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="58"/>
        <source>已放弃</source>
        <translation>abandoned</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="59"/>
        <source>待认定</source>
        <translation>awaiting liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="59"/>
        <source>已认定</source>
        <translation>determined</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="136"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="136"/>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="136"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="136"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="48"/>
        <source>当事人申请复核</source>
        <translation>Review requested by a party</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="49"/>
        <source>撤回复核申请</source>
        <translation>Review request withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="49"/>
        <source>作出复核结论</source>
        <translation>Review decided</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="50"/>
        <source>撤销原认定书</source>
        <translation>Earlier document revoked</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="60"/>
        <source>复核中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="60"/>
        <source>已复核</source>
        <translation>Reviewed</translation>
    </message>
</context>
<context>
    <name>CaseController</name>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="87"/>
        <source>音频设备不可用：{0}</source>
        <translation>Audio unavailable: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="169"/>
        <source>操作员填写</source>
        <translation>typed by the operator</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="171"/>
        <source>核验系统</source>
        <translation>registry</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="174"/>
        <source>第{0}张 {1}</source>
        <translation>capture {0}, {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="178"/>
        <source>识别为{0}，已自动归类</source>
        <translation>Recognised as {0}; relabelled automatically</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="188"/>
        <source>案件保持打开：{0}</source>
        <translation>Case kept open: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="204"/>
        <source>还没有收到视频画面</source>
        <translation>no video frame received yet</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="207"/>
        <source>{0}失败：{1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="283"/>
        <source>已推送：{0}</source>
        <translation>Sent: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/case_controller.py" line="331"/>
        <source>保存天气和经过失败：{0}</source>
        <translation>Saving the weather and notes failed: {0}</translation>
    </message>
</context>
<context>
    <name>CaseFile</name>
    <message>
        <location filename="../../ui/workspaces/officer/case_file.py" line="70"/>
        <source>证据读取失败：{0}</source>
        <extracomment>the controller&apos;s REST call: ``await call(name, *args)`` (an expired session is reported on the way)</extracomment>
        <translation>Could not read the evidence: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_file.py" line="85"/>
        <source>片段 {0}  {1}</source>
        <translation>Segment {0}  {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_file.py" line="117"/>
        <source>录像下载失败：{0}</source>
        <translation>Could not download the recording: {0}</translation>
    </message>
</context>
<context>
    <name>CaseNotesWidget</name>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="31"/>
        <source>晴</source>
        <extracomment>The chosen weather reads at a glance, across the desk.</extracomment>
        <translation>Sunny</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="31"/>
        <source>阴</source>
        <translation>Overcast</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="31"/>
        <source>雨</source>
        <translation>Rain</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="31"/>
        <source>雪</source>
        <translation>Snow</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="32"/>
        <source>雾</source>
        <translation>Fog</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="32"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="37"/>
        <source>天气</source>
        <translation>Weather</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="42"/>
        <source>事故发生时的天气：{0}</source>
        <translation>Weather at the time of the accident: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="49"/>
        <source>经过：当事人所述的事故经过，如行驶方向、碰撞部位（自动保存）</source>
        <translation>Course of events as the parties tell it: directions of travel, points of impact (saved automatically)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="121"/>
        <source>经过未保存，将在下次修改时重试</source>
        <translation>Notes not saved; retried at the next change</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="124"/>
        <source>已保存 {0} · {1}/{2} 字</source>
        <translation>Saved {0} · {1}/{2} characters</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="129"/>
        <source>经过最多 {0} 字，已超出 {1} 字，未保存</source>
        <translation>Notes hold at most {0} characters; {1} too many, not saved</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/case_notes_widget.py" line="131"/>
        <source>{0}/{1} 字</source>
        <translation>{0}/{1} characters</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/chart_panels.py" line="48"/>
        <source>将此图保存为 PNG 图片</source>
        <translation>Save this chart as a PNG image</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/chart_panels.py" line="50"/>
        <source>保存为 PNG…</source>
        <translation>Save as PNG…</translation>
    </message>
</context>
<context>
    <name>ChecklistWidget</name>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="49"/>
        <source>提交责任认定</source>
        <translation>Submit for liability</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="52"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="67"/>
        <source>清单齐全后提交民警责任认定（{0}）</source>
        <translation>Submit to an officer for liability once the checklist is complete ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="68"/>
        <source>不适用视频快处时转交现场民警（{0}）</source>
        <translation>Hand over to an on-scene officer when video processing does not apply ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="74"/>
        <source>接听案件后显示清单</source>
        <translation>The checklist appears once a case is answered</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="85"/>
        <source>清单已齐全，可以提交</source>
        <translation>Checklist complete: ready to submit</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="85"/>
        <source>还缺 {0} 项</source>
        <translation>{0} items missing</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="112"/>
        <source>确认已落实</source>
        <translation>Confirm done</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/checklist_widget.py" line="113"/>
        <source>当事人已开启双闪、放置三角牌并撤离到安全地带</source>
        <translation>The parties switched on hazard lights, placed the triangle and moved to safety</translation>
    </message>
</context>
<context>
    <name>DashboardController</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="81"/>
        <source>值班看板</source>
        <extracomment>(parent, title, suggested file name, filter) -&gt; the chosen path, or None when the user cancelled</extracomment>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="193"/>
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="205"/>
        <source>统计加载失败：{0}</source>
        <translation>Could not load the figures: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="212"/>
        <source>更新于 {0}</source>
        <translation>Updated {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="225"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="225"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="231"/>
        <source>导出失败：{0}</source>
        <translation>Export failed: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="233"/>
        <source>已导出 {0}</source>
        <translation>Exported {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="237"/>
        <source>保存图表</source>
        <translation>Save chart</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="237"/>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="241"/>
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_controller.py" line="243"/>
        <source>无法保存 {0}</source>
        <translation>Could not save {0}</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="39"/>
        <source>值班看板</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="44"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="45"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="48"/>
        <source>排队来电</source>
        <translation>Calls waiting</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="48"/>
        <source>最长等待</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="48"/>
        <source>坐席 忙 / 闲</source>
        <translation>Seats busy / free</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="49"/>
        <source>待责任认定</source>
        <translation>Awaiting liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="49"/>
        <source>今日案件</source>
        <translation>Cases today</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="51"/>
        <source>区间案件</source>
        <translation>Cases in range</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="51"/>
        <source>60 秒接听率</source>
        <translation>Answered within 60 s</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="51"/>
        <source>处理时长 p50</source>
        <translation>Handling time p50</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="52"/>
        <source>转现场处理率</source>
        <translation>Escalation rate</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="52"/>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="144"/>
        <source>已认定</source>
        <translation>Determined</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="53"/>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="127"/>
        <source>每小时案件</source>
        <translation>Cases per hour</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="54"/>
        <source>接听等待时间</source>
        <translation>Time to answer</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="54"/>
        <source>秒</source>
        <translation>s</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="55"/>
        <source>各坐席处理时长</source>
        <translation>Handling time per seat</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="55"/>
        <source>分钟</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="56"/>
        <source>转现场原因</source>
        <translation>Escalation reasons</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="57"/>
        <source>办理漏斗</source>
        <translation>Funnel</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="83"/>
        <source>坐席状态</source>
        <translation>Seats</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="101"/>
        <source>来电排队中</source>
        <translation>callers in the queue</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="102"/>
        <source>在线 {0} 个坐席</source>
        <translation>{0} seats signed in</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="105"/>
        <source>昨日同时段 {0}（{1}）</source>
        <translation>yesterday by now {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="113"/>
        <source>目标 60 秒内接听</source>
        <translation>target: answer within 60 s</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="116"/>
        <source>最久 {0}</source>
        <translation>oldest {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="126"/>
        <source>本期</source>
        <translation>This period</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="127"/>
        <source>每日案件</source>
        <translation>Cases per day</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="128"/>
        <source>上周同日</source>
        <translation>Same day last week</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="128"/>
        <source>前一周</source>
        <translation>Week before</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="131"/>
        <source>60 秒内接听 {0}</source>
        <translation>{0} answered within 60 s</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="135"/>
        <source>{0} 个坐席 p90 超过目标</source>
        <translation>{0} seats&apos; p90 over target</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="135"/>
        <source>全部坐席 p90 达标</source>
        <translation>every seat&apos;s p90 within target</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="137"/>
        <source>共 {0} 件</source>
        <translation>{0} cases</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="143"/>
        <source>报警</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="143"/>
        <source>接听</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="143"/>
        <source>提交认定</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="149"/>
        <source>认定率 {0}</source>
        <translation>{0} determined</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="155"/>
        <source>接听 {0} · 放弃 {1} · 未结 {2}</source>
        <translation>answered {0} · abandoned {1} · open {2}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="157"/>
        <source>p50 {0} · p90 {1}</source>
        <translation>p50 {0} · p90 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="160"/>
        <source>p90 {0} · 目标 {1}</source>
        <translation>p90 {0} · target {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="163"/>
        <source>{0} 件转现场</source>
        <translation>{0} escalated</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/dashboard_page.py" line="165"/>
        <source>认定用时 p50 {0}</source>
        <translation>decision p50 {0}</translation>
    </message>
</context>
<context>
    <name>EligibilityPanel</name>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="106"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="106"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="112"/>
        <source>适用条件核查</source>
        <translation>Eligibility checks</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="119"/>
        <source>无记录</source>
        <translation>None recorded</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="120"/>
        <source>接警员的询问</source>
        <translation>Operator&apos;s questions</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="123"/>
        <source>已确认</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="123"/>
        <source>未确认</source>
        <translation>Not confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="124"/>
        <source>现场安全确认</source>
        <translation>Scene safety confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="129"/>
        <source>接警员备注</source>
        <translation>Operator&apos;s notes</translation>
    </message>
</context>
<context>
    <name>EscalateDialog</name>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="18"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="22"/>
        <source>（选择常见原因）</source>
        <translation>(choose a common reason)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="22"/>
        <source>有人员受伤</source>
        <translation>Somebody is hurt</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="22"/>
        <source>车辆无法移动</source>
        <translation>Vehicle cannot be moved</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="23"/>
        <source>驾驶人疑似饮酒、吸毒或有逃逸情形</source>
        <translation>Suspected drink, drugs or flight</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="23"/>
        <source>证件无效或未投保交强险</source>
        <translation>Invalid documents or no compulsory insurance</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="24"/>
        <source>当事人不同意视频快处</source>
        <translation>Party does not agree to video processing</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="24"/>
        <source>不在服务时间或服务区域</source>
        <translation>Outside service hours or area</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="28"/>
        <source>请填写转现场处理的原因（必填）</source>
        <translation>Reason for escalation (required)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="31"/>
        <source>确认转现场</source>
        <translation>Escalate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="32"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/escalate_dialog.py" line="36"/>
        <source>将派民警到现场处理，请说明原因：</source>
        <translation>An officer will be sent to the scene. Reason:</translation>
    </message>
</context>
<context>
    <name>EvidenceGalleryWidget</name>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="101"/>
        <source>第{0}张 {1}（{2}）属于哪一方？</source>
        <extracomment>The kinds a capture can be given from its menu.</extracomment>
        <translation>Capture {0}, {1} ({2}): which party is it?</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="103"/>
        <source> 另有 {0} 张待归属</source>
        <translation> ({0} more waiting)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="113"/>
        <source>新当事方</source>
        <translation>New party</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="123"/>
        <source>归属到</source>
        <translation>Belongs to</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="129"/>
        <source>改为</source>
        <translation>Change kind to</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="172"/>
        <source>待选归属</source>
        <translation>Whose?</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="174"/>
        <source>上传失败</source>
        <translation>Upload failed</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="176"/>
        <source>识别中…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="178"/>
        <source>识别失败</source>
        <translation>OCR failed</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="180"/>
        <source>上传中…</source>
        <translation>Uploading…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="182"/>
        <source>已识别 {0} 项</source>
        <translation>{0} fields read</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/evidence_gallery_widget.py" line="182"/>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
</context>
<context>
    <name>HourlyCasesChart</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/chart_panels.py" line="178"/>
        <source>共 {0} 件，对比 {1} 件</source>
        <translation>{0} cases, against {1}</translation>
    </message>
</context>
<context>
    <name>InstructionWidget</name>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="16"/>
        <source>安全</source>
        <translation>Safety</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="16"/>
        <source>引导拍摄</source>
        <translation>What to show</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="16"/>
        <source>结束</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="23"/>
        <source>发送</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="24"/>
        <source>把选中的标准用语推送到当事人手机（或双击该用语）</source>
        <translation>Send the selected phrase to the party&apos;s phone (or double-click it)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/instruction_widget.py" line="27"/>
        <source>自定义提示，回车发送</source>
        <translation>Own instruction, Enter sends</translation>
    </message>
</context>
<context>
    <name>IssueConfirmation</name>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="38"/>
        <source>出具认定书</source>
        <translation>Issue the document</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="39"/>
        <source>出具案件 {0} 的道路交通事故认定书？出具后不能修改，各方将收到短信。</source>
        <translation>Issue the traffic accident liability document for case {0}? It cannot be changed afterwards, and every party gets an SMS.</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="43"/>
        <source>出具</source>
        <translation>Issue</translation>
    </message>
</context>
<context>
    <name>LiabilityPartyWidget</name>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="28"/>
        <source>全部责任</source>
        <extracomment>the fields shown for a party, in the order of the document&apos;s party block</extracomment>
        <translation>Full responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="29"/>
        <source>主要责任</source>
        <translation>Major responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="30"/>
        <source>同等责任</source>
        <translation>Equal responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="31"/>
        <source>次要责任</source>
        <translation>Minor responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="32"/>
        <source>无责任</source>
        <translation>No responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="58"/>
        <source>请选择责任</source>
        <translation>Choose the responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="72"/>
        <source>责任</source>
        <translation>Responsibility</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="73"/>
        <source>违法行为</source>
        <translation>Violations</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="83"/>
        <source>非机动车</source>
        <translation>non-motor vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="83"/>
        <source>机动车</source>
        <translation>motor vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/liability_party_widget.py" line="101"/>
        <location filename="../../ui/widgets/liability_party_widget.py" line="111"/>
        <source>&lt;i&gt;未做登记核验&lt;/i&gt;</source>
        <translation>&lt;i&gt;No registry check&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>LocationMapWidget</name>
    <message>
        <location filename="../../ui/widgets/location_map_widget.py" line="97"/>
        <source>无位置信息</source>
        <translation>No location</translation>
    </message>
</context>
<context>
    <name>LocationPanel</name>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="83"/>
        <source>未选择案件</source>
        <translation>No case open</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="95"/>
        <source>无坐标</source>
        <translation>no coordinates</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="97"/>
        <source>（精度约 {0} 米）</source>
        <translation> (accurate to about {0} m)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="98"/>
        <source>辖区：{0}
坐标：{1}</source>
        <translation>District: {0}
Coordinates: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/case_panels.py" line="98"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="18"/>
        <source>快处坐席 - 登录</source>
        <translation>Kuaichu seat - Log in</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="27"/>
        <location filename="../../ui/dialogs/login_dialog.py" line="57"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="33"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="34"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="35"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="37"/>
        <source>交通事故视频快处 · 坐席</source>
        <translation>Traffic accident video processing · Seat</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="49"/>
        <source>请输入用户名和密码</source>
        <translation>Enter user name and password</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/login_dialog.py" line="57"/>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="20"/>
        <source>快处 · 交通事故视频快处坐席</source>
        <translation>Kuaichu · Traffic accident video seat</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="49"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="50"/>
        <source>自检</source>
        <translation>Self-test</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="52"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="89"/>
        <source>● 已连接服务器</source>
        <translation>● Connected to the server</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="89"/>
        <source>○ 实时连接中断，正在重连…</source>
        <translation>○ Live link lost, reconnecting…</translation>
    </message>
</context>
<context>
    <name>OfficerController</name>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="44"/>
        <source>责任认定</source>
        <translation>Liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="91"/>
        <source>请先出具认定书或退回当前案件</source>
        <translation>Issue the document or send the case back first</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="170"/>
        <source>案件已由 {0} 处理</source>
        <translation>Case handled by {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="170"/>
        <source>其他民警</source>
        <translation>another officer</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="159"/>
        <source>无法打开案件：{0}</source>
        <translation>Could not open the case: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="166"/>
        <source>只有民警可以认定责任</source>
        <translation>Only officers may decide liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="175"/>
        <source>案件 {0}</source>
        <translation>Case {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="176"/>
        <source>{0}：只能查看，不能认定</source>
        <translation>{0}: view only, you cannot decide it</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="222"/>
        <source>违法行为查询失败：{0}</source>
        <translation>Violation search failed: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="232"/>
        <source>每方最多三项违法行为，且不能重复</source>
        <translation>At most three violations per party, none twice</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="274"/>
        <source>请填写交通事故事实</source>
        <translation>Write the accident facts</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="276"/>
        <source>已手动修改，不再随违法行为更新</source>
        <translation>Edited by hand: no longer follows the violations</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="277"/>
        <source>草稿：随违法行为自动更新</source>
        <translation>Draft: follows the violations</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="294"/>
        <source>预览失败：{0}</source>
        <translation>Preview failed: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="296"/>
        <source>预览（未出具，无文书编号效力）</source>
        <translation>Preview (not issued, no document number)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="318"/>
        <source>出具失败：{0}</source>
        <translation>Issuing failed: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="323"/>
        <source>已出具认定书 {0}，已向各方发送短信</source>
        <translation>Document {0} issued; every party was sent an SMS</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="326"/>
        <source>已出具认定书 {0}</source>
        <translation>Document {0} issued</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="330"/>
        <source>认定书已出具，但读取 PDF 失败：{0}</source>
        <translation>The document was issued, but its PDF could not be read: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="332"/>
        <source>认定书 {0}  sha256 {1}</source>
        <translation>Document {0}  sha256 {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="352"/>
        <source>退回失败：{0}</source>
        <translation>Sending back failed: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="354"/>
        <source>案件 {0} 已退回接警队列补充证据</source>
        <translation>Case {0} went back to the operator queue for more evidence</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_controller.py" line="361"/>
        <source>未打开案件</source>
        <translation>No case open</translation>
    </message>
</context>
<context>
    <name>OfficerQueueWidget</name>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="39"/>
        <source>已等</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="39"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="39"/>
        <source>区</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="39"/>
        <source>处理民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="50"/>
        <source>办理</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="53"/>
        <source>暂无等待认定的案件</source>
        <translation>No case awaits a decision</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="75"/>
        <source>待认定（{0}）</source>
        <translation>Awaiting liability ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="80"/>
        <source>（退回后再次提交）</source>
        <translation> (resubmitted after send-back)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="81"/>
        <source>有人办理</source>
        <translation>taken</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="81"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/queue_widget.py" line="83"/>
        <source>{0}，{1} 方当事人，提交于 {2}</source>
        <translation>{0}, {1} parties, submitted at {2}</translation>
    </message>
</context>
<context>
    <name>OfficerWorkspace</name>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="54"/>
        <source>未打开案件</source>
        <extracomment>146号 第二十四条: the officer records the weather; the operator&apos;s one-click choices</extracomment>
        <translation>No case open</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="86"/>
        <source>交通事故事实：打开案件后自动起草，可直接修改</source>
        <translation>Accident facts: drafted when a case opens; edit freely</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="91"/>
        <source>重新起草</source>
        <translation>Redraft</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="92"/>
        <source>丢弃修改，按当前违法行为重新生成事实</source>
        <translation>Discard the edits and draft the facts again from the violations</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="96"/>
        <source>预览认定书</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="97"/>
        <source>出具认定书</source>
        <translation>Issue document</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="99"/>
        <source>退回补充证据</source>
        <translation>Send back</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="102"/>
        <source>交通事故事实</source>
        <translation>Accident facts</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="106"/>
        <source>天气</source>
        <translation>Weather</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="123"/>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="124"/>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="125"/>
        <source>适应窗口</source>
        <translation>Fit</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="142"/>
        <source>通话录像</source>
        <translation>Recordings</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="143"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="144"/>
        <source>适用条件与询问</source>
        <translation>Eligibility and answers</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="145"/>
        <source>审计记录</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="146"/>
        <source>认定书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="148"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="152"/>
        <source>待认定</source>
        <translation>Awaiting liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="154"/>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="167"/>
        <source>责任认定</source>
        <translation>Liability decision</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/officer_workspace.py" line="168"/>
        <source>复核</source>
        <translation>Reviews</translation>
    </message>
</context>
<context>
    <name>OperatorController</name>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="50"/>
        <source>接警处理</source>
        <extracomment>makes the seat socket from its address (``SeatSocket``, or a fake in the UI tests)</extracomment>
        <translation>Calls</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="104"/>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="137"/>
        <source>请先处理完当前案件</source>
        <translation>Finish the current case first</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="131"/>
        <source>{0}失败：{1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="135"/>
        <source>该案件已被其他坐席接听：{0}</source>
        <translation>Another seat answered this case: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="144"/>
        <source>已补传上次未上传的录像 {0} 段</source>
        <translation>Uploaded {0} recording segment(s) left from last time</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="146"/>
        <source>{0} 段录像不完整，已移至 rejected 文件夹</source>
        <translation>{0} incomplete segment(s) moved to the rejected folder</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="148"/>
        <source>{0} 段录像待下次登录后上传</source>
        <translation>{0} segment(s) will be uploaded after the next login</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="149"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="164"/>
        <source>已接听案件 {0}</source>
        <translation>Answered case {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="230"/>
        <source>提交责任认定</source>
        <translation>Submit for liability</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="231"/>
        <source>提交案件 {0} 给民警认定责任？</source>
        <translation>Submit case {0} to an officer for liability?</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="233"/>
        <source>{0}

提交后通话结束，当事人会被告知立即撤离现场。</source>
        <translation>{0}

Submitting ends the call and tells the parties to leave the scene at once.</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="235"/>
        <source>提交并结束通话</source>
        <translation>Submit and end the call</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="236"/>
        <source>继续采集</source>
        <translation>Keep collecting</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="245"/>
        <source>（未填姓名）</source>
        <translation>(no name yet)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="247"/>
        <source>非机动车</source>
        <translation>non-motor vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_controller.py" line="249"/>
        <source>（未填号牌）</source>
        <translation>(no plate yet)</translation>
    </message>
</context>
<context>
    <name>OperatorWorkspace</name>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="52"/>
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="53"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="56"/>
        <source>清单</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="57"/>
        <source>提示当事人</source>
        <translation>Instruct party</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="59"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="60"/>
        <source>天气与经过</source>
        <translation>Weather and notes</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/operator/operator_workspace.py" line="64"/>
        <source>队列</source>
        <translation>Queue</translation>
    </message>
</context>
<context>
    <name>OverlayView</name>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="108"/>
        <source>（点击核对）</source>
        <translation> (click to check)</translation>
    </message>
</context>
<context>
    <name>OverlayWidget</name>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="145"/>
        <location filename="../../ui/widgets/overlay_widget.py" line="167"/>
        <source>选择一张证据查看识别结果</source>
        <translation>Select a picture to see what OCR read</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="146"/>
        <source>全部采用</source>
        <translation>Apply all valid</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="160"/>
        <source>把所有识别有效（绿色）的内容填入当事人信息（{0}）</source>
        <translation>Fill every valid (green) reading into the party ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="174"/>
        <source>{0}：识别中…</source>
        <translation>{0}: reading…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/overlay_widget.py" line="176"/>
        <source>{0}：识别到 {1} 项有效内容</source>
        <translation>{0}: {1} valid readings</translation>
    </message>
</context>
<context>
    <name>PartiesWidget</name>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="21"/>
        <location filename="../../ui/widgets/parties_widget.py" line="53"/>
        <source>未接听案件</source>
        <translation>No case answered</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="23"/>
        <source>添加车辆</source>
        <translation>Add vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="25"/>
        <source>添加非机动车</source>
        <translation>Add non-motor party</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="27"/>
        <source>全部核验</source>
        <translation>Verify all</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="48"/>
        <source>核验所有机动车当事方（{0}）</source>
        <translation>Verify every motor-vehicle party ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/parties_widget.py" line="57"/>
        <source>案件 {0}</source>
        <translation>Case {0}</translation>
    </message>
</context>
<context>
    <name>PartyFormWidget</name>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="59"/>
        <source>核验</source>
        <extracomment>Fields whose whole value must show: the longest forms in use (a 23-digit policy such as 中国平安&apos;s, 22 characters for PICC&apos;s PDZA… and CPIC&apos;s ACHDA…; a VIN is 17). A conflict as the form shows it: each value with where it came from (第3张 行驶证, 操作员...).</extracomment>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="60"/>
        <source>向车驾管与保险系统核验驾驶证、机动车和交强险</source>
        <translation>Check licence, vehicle and compulsory insurance with the registry</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="83"/>
        <source>待识别</source>
        <translation>Waiting for OCR</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="109"/>
        <source>✖ 与{0}相同：同一{1}不能属于两方</source>
        <translation>✖ Same as {0}: one {1} cannot belong to two parties</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="112"/>
        <source>⚠ 来源不一致，请选择：</source>
        <translation>⚠ The sources disagree; pick one:</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="115"/>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="128"/>
        <source>核验结果</source>
        <translation>Registry checks</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="140"/>
        <source>机动车</source>
        <translation>Motor vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="140"/>
        <source>非机动车</source>
        <translation>Non-motor</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="164"/>
        <source>未填写</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="164"/>
        <source>格式正确</source>
        <translation>Well-formed</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="165"/>
        <source>格式不正确</source>
        <translation>Malformed</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="168"/>
        <source>其他当事方也填了这个{0}</source>
        <translation>Another party has this {0} too</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="170"/>
        <source>两个来源的值不一致</source>
        <translation>Two sources give different values</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/party_form_widget.py" line="178"/>
        <source>未核验</source>
        <translation>Not verified</translation>
    </message>
</context>
<context>
    <name>PdfPreviewWidget</name>
    <message>
        <location filename="../../ui/widgets/pdf_preview_widget.py" line="16"/>
        <location filename="../../ui/widgets/pdf_preview_widget.py" line="73"/>
        <source>尚未预览认定书</source>
        <translation>No preview yet</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview_widget.py" line="24"/>
        <source>在单独窗口中查看</source>
        <translation>Open in its own window</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview_widget.py" line="47"/>
        <source>无法显示这份 PDF（{0} 字节）</source>
        <translation>Cannot show this PDF ({0} bytes)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview_widget.py" line="55"/>
        <source>道路交通事故认定书</source>
        <translation>Traffic accident liability document</translation>
    </message>
</context>
<context>
    <name>QuantileChart</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/chart_panels.py" line="156"/>
        <source>目标 {0} {1}</source>
        <translation>target {0} {1}</translation>
    </message>
</context>
<context>
    <name>QueueWidget</name>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="52"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="52"/>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="52"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="52"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="63"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="66"/>
        <source>暂无等待的案件</source>
        <translation>No cases waiting</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="80"/>
        <source>接听选中的案件（{0}，或双击）</source>
        <translation>Answer the selected case ({0}, or double-click)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="94"/>
        <source>排队中（{0}）</source>
        <translation>Waiting ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="99"/>
        <source>位置未知</source>
        <translation>Location unknown</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="102"/>
        <source>重新接入（原坐席）</source>
        <translation>Rejoining (your case)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="102"/>
        <source>重新接入</source>
        <translation>Rejoining</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="104"/>
        <source>等待接听</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/queue_widget.py" line="104"/>
        <source>手机未连接</source>
        <translation>Phone not connected</translation>
    </message>
</context>
<context>
    <name>RangePickerWidget</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/range_picker_widget.py" line="25"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/range_picker_widget.py" line="25"/>
        <source>昨天</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/range_picker_widget.py" line="26"/>
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/range_picker_widget.py" line="26"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
</context>
<context>
    <name>ReadingZoomDialog</name>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="51"/>
        <source>核对识别结果</source>
        <translation>Check the reading</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="59"/>
        <source>有字符无法识别（以 ? 表示）：请对照放大的图像填写完整号牌。</source>
        <translation>Some characters could not be read (shown as ?): type the whole plate from the enlarged picture.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="61"/>
        <source>有字符容易混淆：请对照放大的图像选择正确的号牌。</source>
        <translation>Some characters are easily confused: pick the right plate from the enlarged picture.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="74"/>
        <source>号牌号码</source>
        <translation>Plate number</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="77"/>
        <source>填入</source>
        <translation>Fill in</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="78"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="85"/>
        <source>可能的读法：</source>
        <translation>Possible readings:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reading_zoom_dialog.py" line="87"/>
        <source>或输入：</source>
        <translation>Or type it:</translation>
    </message>
</context>
<context>
    <name>RecordingPlayerWidget</name>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="46"/>
        <location filename="../../ui/widgets/recording_player_widget.py" line="115"/>
        <source>播放</source>
        <translation>Play</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="53"/>
        <location filename="../../ui/widgets/recording_player_widget.py" line="82"/>
        <source>本案没有通话录像</source>
        <translation>This case has no call recording</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="57"/>
        <source>无法播放：{0}</source>
        <translation>Cannot play: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="82"/>
        <source>选择一段录像播放</source>
        <translation>Choose a segment to play</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="85"/>
        <source>正在下载 {0}…</source>
        <translation>Downloading {0}…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/recording_player_widget.py" line="115"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="69"/>
        <source>该申请已{0}</source>
        <translation>This request is already {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="83"/>
        <source>认定书 {0}</source>
        <translation>Document {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="120"/>
        <source>案件 {0} 复核结论已作出：{1}，已短信告知各方</source>
        <translation>Review of case {0} decided: {1}; every party has been told by SMS</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="121"/>
        <source>维持原认定</source>
        <translation>upheld</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="121"/>
        <source>责令重新调查、认定，案件已退回待认定队列</source>
        <translation>sent back for a new investigation; the case is back in the liability queue</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="122"/>
        <source>已作出复核结论</source>
        <translation>Review decided</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="122"/>
        <source>已退回重新认定：案件回到“待认定”队列</source>
        <translation>Sent back: the case is back in the &quot;awaiting liability&quot; queue</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="130"/>
        <source>案件 {0}&#x3000;认定书 {1}&#x3000;出具民警 {2}</source>
        <translation>Case {0}   document {1}   issued by {2}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="133"/>
        <source>事故时间 {0}&#x3000;地点 {1}&#x3000;天气 {2}</source>
        <translation>Accident at {0}   place {1}   weather {2}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="140"/>
        <source>事实：{0}</source>
        <translation>Facts: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="146"/>
        <source>{0}于 {1} 申请复核

请求：{2}

理由：{3}</source>
        <translation>{0} asked for a review on {1}

Request: {2}

Reasons: {3}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_controller.py" line="71"/>
        <source>认定书 {0} 是您出具的，须由其他民警复核</source>
        <translation>You issued document {0}: another officer must review it</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="58"/>
        <source>{0}&#x3000;{2}申请
{1}
{3}</source>
        <translation>{0}   asked by {2}
{1}
{3}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="71"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="72"/>
        <source>没有待复核的申请</source>
        <translation>No review requests pending</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="74"/>
        <location filename="../../ui/workspaces/officer/review_page.py" line="152"/>
        <source>复核申请</source>
        <translation>Review requests</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="80"/>
        <source>未打开复核申请</source>
        <translation>No review request open</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="85"/>
        <location filename="../../ui/workspaces/officer/review_page.py" line="149"/>
        <source>认定书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="95"/>
        <source>点击证据查看</source>
        <translation>Click a piece of evidence to view it</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="105"/>
        <source>维持原认定</source>
        <translation>Uphold</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="106"/>
        <source>责令重新调查、认定</source>
        <translation>Send back for a new investigation</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="112"/>
        <source>复核结论：例如 事实清楚，证据确实充分，适用法律正确，责任划分公正，程序合法</source>
        <translation>Conclusion: e.g. the facts are clear, the evidence sufficient, the law applied correctly, the responsibility fairly divided, the procedure lawful</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="114"/>
        <source>作出复核结论</source>
        <translation>Decide</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="131"/>
        <source>理由（第七十六条）</source>
        <translation>Reason (Art. 76)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="148"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="153"/>
        <source>申请人提交的证据</source>
        <translation>The applicant&apos;s evidence</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="154"/>
        <source>复核结论</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="157"/>
        <source>待复核</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="175"/>
        <source>出具民警：{0}</source>
        <translation>Issued by: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="180"/>
        <source>复核申请（{0}）</source>
        <translation>Review requests ({0})</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="185"/>
        <source>（维持原认定时不选）</source>
        <translation>(none when upholding)</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="217"/>
        <source>证据 {0}</source>
        <translation>Evidence {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="224"/>
        <source>PDF {0}</source>
        <translation>PDF {0}</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="245"/>
        <source>请选择维持原认定或责令重新调查、认定</source>
        <translation>Choose: uphold, or send back for a new investigation</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="247"/>
        <source>责令重新调查、认定须选择第七十六条的理由</source>
        <translation>Sending back needs one of the reasons of Art. 76</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="249"/>
        <source>维持原认定不选择理由</source>
        <translation>Upholding takes no reason</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="251"/>
        <source>请填写复核结论</source>
        <translation>Write the conclusion</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/review_page.py" line="173"/>
        <source>
（您出具的认定书，须由其他民警复核）</source>
        <translation>
(your document: another officer must review it)</translation>
    </message>
</context>
<context>
    <name>SeatListWidget</name>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="16"/>
        <source>坐席</source>
        <translation>Seat</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="16"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="16"/>
        <source>持续</source>
        <translation>For</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="16"/>
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="29"/>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="29"/>
        <source>通话中</source>
        <translation>In a call</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/supervisor/seat_list_widget.py" line="30"/>
        <source>整理中</source>
        <translation>Wrap-up</translation>
    </message>
</context>
<context>
    <name>SelfTestDialog</name>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="28"/>
        <source>坐席自检</source>
        <translation>Seat self-test</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="40"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="40"/>
        <source>检查项</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="40"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="40"/>
        <source>耗时</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="50"/>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="96"/>
        <source>等待</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="54"/>
        <source>未检查：</source>
        <translation>Not checked: </translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="59"/>
        <source>重新检查</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="60"/>
        <source>复制报告</source>
        <translation>Copy report</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="76"/>
        <source>配置文件</source>
        <translation>Settings files</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="76"/>
        <source>文字识别（样例号牌和驾驶证）</source>
        <translation>OCR (sample plate and driving licence)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="77"/>
        <source>麦克风和扬声器</source>
        <translation>Microphone and speaker</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="77"/>
        <source>视频通话（本机回环）</source>
        <translation>Video call (loopback on this seat)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="78"/>
        <source>录像写入和读回</source>
        <translation>Recording written and read back</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="78"/>
        <source>服务器连接和证书</source>
        <translation>Server connection and certificate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="79"/>
        <source>ICE 服务器（STUN/TURN）</source>
        <translation>ICE servers (STUN/TURN)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="79"/>
        <source>当前用户角色</source>
        <translation>Current user&apos;s role</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="99"/>
        <source>检查中…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="100"/>
        <source>正在检查：{0}</source>
        <translation>Checking: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="109"/>
        <source>有检查未通过，坐席不能正常使用</source>
        <translation>Some checks failed: this seat cannot work properly</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="110"/>
        <source>坐席可以使用，但有提醒</source>
        <translation>The seat works, with warnings</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="110"/>
        <source>全部通过</source>
        <translation>All checks passed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="111"/>
        <source>{0}：通过 {1} 项，提醒 {2} 项，未通过 {3} 项</source>
        <translation>{0}: {1} passed, {2} warnings, {3} failed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="118"/>
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="118"/>
        <source>提醒</source>
        <translation>Warning</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="118"/>
        <source>未通过</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/self_test_dialog.py" line="141"/>
        <source>正在结束当前检查…</source>
        <translation>Finishing the current check…</translation>
    </message>
</context>
<context>
    <name>SendBackDialog</name>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="11"/>
        <source>退回补充证据</source>
        <translation>Send back for more evidence</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="14"/>
        <source>例如：请补拍乙方车辆碰撞部位的近景</source>
        <translation>e.g. a close-up of party B&apos;s damage, please</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="16"/>
        <source>退回</source>
        <translation>Send back</translation>
    </message>
    <message>
        <location filename="../../ui/workspaces/officer/dialogs.py" line="21"/>
        <source>案件 {0} 将退回接警队列，各方会收到短信和链接。请写明需要补充什么：</source>
        <translation>Case {0} goes back to the operator queue and the parties get an SMS with their link. Say what is missing:</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="30"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="34"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="35"/>
        <source>音频设备</source>
        <translation>Audio devices</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="36"/>
        <source>快捷键</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="38"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="39"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="51"/>
        <source>校验服务器证书</source>
        <translation>Verify the server certificate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="61"/>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="63"/>
        <source>界面语言（重启后生效）</source>
        <translation>Language (after restart)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="64"/>
        <source>视频刷新率</source>
        <translation>Video refresh rate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="70"/>
        <source>启用通话音频</source>
        <translation>Enable call audio</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="75"/>
        <source>麦克风</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="76"/>
        <source>扬声器/耳机</source>
        <translation>Speaker / headset</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="81"/>
        <source>系统默认</source>
        <translation>System default</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="85"/>
        <source>{0}（未连接）</source>
        <translation>{0} (not connected)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="93"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="93"/>
        <source>截图取证</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="93"/>
        <source>拍原图</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="94"/>
        <source>切换摄像头</source>
        <translation>Switch camera</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="94"/>
        <source>闪光灯</source>
        <translation>Torch</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="94"/>
        <source>静音</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="95"/>
        <source>结束通话</source>
        <translation>End call</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="95"/>
        <source>全部采用</source>
        <translation>Apply all valid</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="95"/>
        <source>全部核验</source>
        <translation>Verify all</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="96"/>
        <source>提交责任认定</source>
        <translation>Submit for liability</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="96"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
</context>
<context>
    <name>ShellController</name>
    <message>
        <location filename="../../ui/shell_controller.py" line="95"/>
        <source>无法连接服务器 {0}，请检查网络或服务器地址后重试</source>
        <extracomment>``client_factory(server_url, timeout=..., verify=...)`` -&gt; the REST client (ApiClient, or a fake) ``workspaces(key, window, settings)`` -&gt; a new workspace (seat_app.ui.workspaces.catalogue.Workspaces)</extracomment>
        <translation>Cannot reach server {0}. Check the network or the server address and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/shell_controller.py" line="103"/>
        <source>账号 {0} 的角色（{1}）在坐席端没有可用的工作区，请联系管理员</source>
        <translation>Account {0} has a role ({1}) with no workspace in the seat app. Please contact your administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/shell_controller.py" line="104"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../ui/shell_controller.py" line="108"/>
        <source>当前用户：{0}</source>
        <translation>User: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/shell_controller.py" line="163"/>
        <source>登录已过期，请重新登录（当前案件保持打开）</source>
        <translation>Your session expired. Please log in again (the open case stays open).</translation>
    </message>
</context>
<context>
    <name>VideoWidget</name>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="108"/>
        <source>暂无视频</source>
        <translation>No video</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="135"/>
        <source>截图取证</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="139"/>
        <source>下一张：</source>
        <translation>Next shot:</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="142"/>
        <source>拍原图</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="144"/>
        <source>切换摄像头</source>
        <translation>Switch camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="146"/>
        <source>闪光灯</source>
        <translation>Torch</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="149"/>
        <source>静音</source>
        <translation>Mute</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="152"/>
        <source>结束通话</source>
        <translation>End call</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="168"/>
        <source>截取当前画面（全分辨率）作为证据</source>
        <translation>Capture the current frame (full resolution) as evidence</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="169"/>
        <source>让手机拍摄一张全分辨率照片</source>
        <translation>Ask the phone for a full-resolution photo</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="170"/>
        <source>切换手机前后摄像头</source>
        <translation>Switch the phone between back and front camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="171"/>
        <source>打开或关闭手机闪光灯</source>
        <translation>Turn the phone&apos;s torch on or off</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="172"/>
        <source>关闭或打开坐席麦克风</source>
        <translation>Mute or unmute the seat microphone</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="173"/>
        <source>结束与当事人的通话</source>
        <translation>End the call with the party</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="208"/>
        <source>● 录制中</source>
        <translation>● Recording</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="234"/>
        <source>{0}×{1}</source>
        <translation>{0}×{1}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_widget.py" line="253"/>
        <source>{0:.0f} 帧/秒</source>
        <translation>{0:.0f} fps</translation>
    </message>
</context>
<context>
    <name>ViolationChip</name>
    <message>
        <location filename="../../ui/widgets/violation_picker_widget.py" line="34"/>
        <source>移除这项违法行为</source>
        <translation>Remove this violation</translation>
    </message>
</context>
<context>
    <name>ViolationPickerWidget</name>
    <message>
        <location filename="../../ui/widgets/violation_picker_widget.py" line="53"/>
        <location filename="../../ui/widgets/violation_picker_widget.py" line="107"/>
        <source>输入行为或条款查找违法行为，如：追尾、第四十三条</source>
        <translation>Type part of a behaviour or article, e.g. 追尾, 第四十三条</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/violation_picker_widget.py" line="106"/>
        <source>已选满 {0} 项</source>
        <translation>{0} chosen, the most allowed</translation>
    </message>
</context>
<context>
    <name>audio</name>
    <message>
        <location filename="../../app.py" line="85"/>
        <source>没有可用的麦克风</source>
        <translation>no microphone</translation>
    </message>
    <message>
        <location filename="../../app.py" line="85"/>
        <source>没有可用的扬声器</source>
        <translation>no speaker</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../ui/labels.py" line="23"/>
        <source>驾驶人姓名</source>
        <translation>Driver name</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>准驾车型</source>
        <translation>Licence class</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>驾驶证起始日期</source>
        <translation>Licence valid from</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>驾驶证有效期至</source>
        <translation>Licence valid until</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="28"/>
        <source>号牌号码</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29"/>
        <source>号牌颜色</source>
        <translation>Plate colour</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30"/>
        <source>车辆类型</source>
        <translation>Vehicle type</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31"/>
        <source>车辆识别代号</source>
        <translation>VIN</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32"/>
        <source>所有人</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33"/>
        <source>保险公司</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34"/>
        <source>交强险保单号</source>
        <translation>Policy number</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35"/>
        <source>保险起始日期</source>
        <translation>Insurance valid from</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36"/>
        <source>保险有效期至</source>
        <translation>Insurance valid until</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37"/>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <source>驾驶人</source>
        <translation>Driver</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <source>车辆</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <location filename="../../ui/labels.py" line="88"/>
        <source>交强险</source>
        <translation>Compulsory insurance</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="109"/>
        <source>驾驶证</source>
        <translation>driving licence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="87"/>
        <source>机动车</source>
        <translation>Motor vehicle</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>蓝</source>
        <translation>blue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>黄</source>
        <translation>yellow</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>绿</source>
        <translation>green</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="45"/>
        <source>白</source>
        <translation>white</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="45"/>
        <source>黑</source>
        <translation>black</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="46"/>
        <source>黄绿</source>
        <translation>yellow-green</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="46"/>
        <source>渐变绿</source>
        <translation>gradient green</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="87"/>
        <source>驾驶证</source>
        <comment>registry check</comment>
        <translation>Driving licence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="95"/>
        <source>{0}方</source>
        <translation>Party {0}</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="96"/>
        <source>第{0}方</source>
        <translation>Party {0}</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>甲</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>乙</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>丙</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>丁</source>
        <translation>D</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="106"/>
        <source>现场全景</source>
        <translation>Scene</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="107"/>
        <source>碰撞部位</source>
        <translation>Point of impact</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="108"/>
        <source>号牌</source>
        <translation>plate</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="110"/>
        <source>行驶证</source>
        <translation>vehicle licence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="111"/>
        <source>交强险保单</source>
        <translation>Insurance policy</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="112"/>
        <source>各方同框</source>
        <translation>All parties together</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="113"/>
        <source>其他照片</source>
        <translation>Other photo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="120"/>
        <location filename="../../ui/labels.py" line="206"/>
        <source>截图</source>
        <translation>Frame</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="120"/>
        <source>原图</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="125"/>
        <source>已开启危险报警闪光灯</source>
        <translation>Hazard lights on</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="126"/>
        <source>已放置三角警告牌</source>
        <translation>Warning triangle placed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="127"/>
        <source>人员已撤离到安全地带</source>
        <translation>People moved to a safe place</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="133"/>
        <source>是否有人员受伤？</source>
        <translation>Is anybody hurt?</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="134"/>
        <source>驾驶人是否有饮酒、吸毒或逃逸情形？</source>
        <translation>Any sign of drink, drugs or flight?</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="135"/>
        <source>车辆能否自行移动？</source>
        <translation>Can the vehicles be driven away?</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="136"/>
        <source>机动车一方是否应承担事故责任？</source>
        <translation>Is the motor vehicle at fault?</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>无人受伤</source>
        <translation>Nobody hurt</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>轻微伤</source>
        <translation>Minor injury</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>有人受伤</source>
        <translation>Injured</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="144"/>
        <source>能移动</source>
        <translation>Can move</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="144"/>
        <source>不能移动</source>
        <translation>Cannot move</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="146"/>
        <source>有</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="146"/>
        <source>无</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="147"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="147"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="152"/>
        <source>当事方数量</source>
        <translation>Number of parties</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="153"/>
        <source>事故类型</source>
        <translation>Accident type</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="154"/>
        <source>人员伤亡</source>
        <translation>Injuries</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="155"/>
        <source>饮酒、吸毒、逃逸</source>
        <translation>Drink, drugs, flight</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="156"/>
        <source>车辆可移动</source>
        <translation>Vehicles can move</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="157"/>
        <source>机动车责任</source>
        <translation>Motor vehicle at fault</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="158"/>
        <source>服务时间</source>
        <translation>Service hours</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="159"/>
        <source>服务区域</source>
        <translation>Service area</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="164"/>
        <source>安全</source>
        <translation>Safety</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="164"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="164"/>
        <location filename="../../ui/labels.py" line="207"/>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="165"/>
        <source>适用条件</source>
        <translation>Eligibility</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="179"/>
        <source>{0}信息核验</source>
        <translation>{0} verification</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="188"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="189"/>
        <source>{0}与{1}的{2}相同：同一{2}不能属于两方，请改正后再提交</source>
        <translation>{0} and {1} have the same {2}: one {2} cannot belong to two parties. Correct it before submitting</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="195"/>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="196"/>
        <source>通话中</source>
        <translation>In call</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="197"/>
        <source>视频中断，等待当事人继续处理</source>
        <translation>Video interrupted; waiting for the party to continue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="198"/>
        <source>当事人已离开，等待当事人继续处理</source>
        <translation>The party left; waiting for them to continue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="199"/>
        <location filename="../../ui/labels.py" line="222"/>
        <source>通话已结束</source>
        <translation>Call ended</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="206"/>
        <source>接听</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="206"/>
        <source>上传证据</source>
        <translation>Uploading evidence</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="206"/>
        <source>获取原图</source>
        <translation>Fetching the photo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="207"/>
        <source>保存当事人信息</source>
        <translation>Saving party details</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="207"/>
        <source>添加当事方</source>
        <translation>Adding a party</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="208"/>
        <source>保存问答</source>
        <translation>Saving answers</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="208"/>
        <source>提交认定</source>
        <translation>Submitting</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="208"/>
        <source>转现场处理</source>
        <translation>Escalate to on-scene officer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="209"/>
        <source>开始采集</source>
        <translation>Starting collection</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="209"/>
        <source>刷新案件</source>
        <translation>Refreshing the case</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="209"/>
        <source>刷新队列</source>
        <translation>Refreshing the queue</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="210"/>
        <source>重新接入</source>
        <translation>Rejoining</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="210"/>
        <source>服务器连接</source>
        <translation>Server link</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="211"/>
        <source>推送提示</source>
        <translation>Sending the instruction</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="212"/>
        <source>手机操作</source>
        <translation>Phone action</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="219"/>
        <source>手机没有响应</source>
        <translation>the phone did not respond</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="220"/>
        <source>这部手机或当前摄像头不支持</source>
        <translation>this phone or its current camera cannot do it</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="221"/>
        <source>与手机的连接尚未建立</source>
        <translation>the link to the phone is not up yet</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="223"/>
        <source>手机还没有画面</source>
        <translation>the phone has no picture yet</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="224"/>
        <source>手机未能完成</source>
        <translation>the phone could not do it</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="229"/>
        <source>已提交责任认定，当事人已被告知撤离现场</source>
        <translation>Submitted for liability; the parties were told to leave the scene</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="230"/>
        <source>已转现场处理</source>
        <translation>Escalated to an on-scene officer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="231"/>
        <source>该案件已由其他坐席接手</source>
        <translation>Another seat took this case</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="232"/>
        <source>案件已关闭</source>
        <translation>Case closed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="233"/>
        <source>案件已交回队列</source>
        <translation>Case handed back to the queue</translation>
    </message>
</context>
</TS>
