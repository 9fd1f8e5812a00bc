"""Commands for `flask --app backend ...` (docs/api.md "Command line")."""
from __future__ import annotations

import json
import sys
import time
from datetime import date
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..clock import get_clock
from ..errors import DomainError, FileInvalid
from ..extensions import db
from ..infrastructure.audit import SYSTEM
from ..models import ROLES
from ..services.calendar import calendar_warnings, import_calendar
from ..services.cases import cases_to_reassign
from ..services.catalog import import_catalog
from ..services.demo import DEFAULT_SEED, HISTORY_SIZES, is_empty, seed_demo, seed_history
from ..services.slots import change_and_regenerate
from ..services.training import Training
from ..uow import unit_of_work
from .jobs import JOBS, JobFailed, run_job
from ..services.staff import (
    activate_staff, change_role, create_staff, deactivate_staff, register_agent, set_password,
    staff_named, unlock_sign_in, unregister_agent,
)


@contextmanager
def _unit_of_work():
    """A command's unit of work, audited as the system's; a refusal is printed with every reason
    and exits non-zero, having written nothing."""
    try:
        with unit_of_work(actor=SYSTEM) as session:
            yield session
    except DomainError as exc:
        click.secho(f"错误：{exc.message}", fg="red", err=True)
        if isinstance(exc, FileInvalid):
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            click.echo(f"共 {len(exc.problems)} 处问题，未写入任何内容。", err=True)
        else:
            for key, messages in exc.details.items():
                click.echo(f"  {key}: {'；'.join(map(str, messages))}", err=True)
        sys.exit(1)


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"无法读取文件 {path}：{exc}")
    except json.JSONDecodeError as exc:
        click.secho(f"错误：{path} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
                    fg="red", err=True)
        sys.exit(1)


def _change_and_regenerate(session, change):
    """A change the slots follow, made as the system, and every place's slots for the booking
    window regenerated after it (the one operation the admin uses too)."""
    return change_and_regenerate(session, SYSTEM, change, get_clock().now(),
                                 current_app.config["BOOKING_WINDOW_DAYS"])


def _warn_calendar() -> None:
    now = get_clock().now()
    for message in calendar_warnings(db.session, now.date(),
                                     current_app.config["CALENDAR_HORIZON_DAYS"]):
        click.secho(f"警告：{message}请在国务院办公厅发布通知后用 calendar-import 导入"
                    f"（或由区政务服务管理办在管理后台“节假日安排”页面录入）。",
                    fg="yellow", err=True)


@click.command("seed-demo")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="演示历史的随机种子：相同的种子与规模生成相同的历史")
@click.option("--size", type=click.Choice(list(HISTORY_SIZES)), default="default",
              show_default=True, help="演示历史的规模（群众、预约与办件的数量）")
@click.option("--history/--no-history", default=True, show_default=True,
              help="在空数据库上生成约90天的演示历史")
def seed_demo_command(seed, size, history):
    """Load the Boshan demo: catalogue, staff, registrations and rota, and on an empty database
    about 90 days of history lived through the services (safe to run again: a database that
    holds anything gets only what the catalogue, staff and rota lack)."""
    started = time.perf_counter()
    if history and is_empty(db.session):
        click.echo(f"正在生成演示历史（{HISTORY_SIZES[size].days} 天，规模 {size}，种子 {seed}），"
                   "请稍候……", err=True)
        result = seed_history(db.session, get_clock().now(), seed=seed, size=size)
        demo = result.demo
        for line in result.summary():
            click.echo(line)
    else:
        with _unit_of_work() as session:
            done = _change_and_regenerate(session, lambda session: seed_demo(
                session, get_clock().now(),
                rota_days=current_app.config["BOOKING_WINDOW_DAYS"] + 7))
        demo = done.change
        click.echo(f"演示目录：{demo.catalog.summary()}")
        click.echo(f"轮班：{demo.rota.summary()}")
        click.echo(f"预约时段：{done.slots.summary()}")
        if history:
            click.echo("数据库中已有数据，未生成演示历史（演示历史只在空数据库上生成）。")
    if demo.passwords:
        click.echo("已创建以下工作人员账号（密码只显示这一次，请妥善保存）：")
        for username, role, password in demo.passwords:
            click.echo(f"  {username:<10} {ROLES[role]:<10} 密码：{password}")
    else:
        click.echo("工作人员账号已存在，未重新生成密码。")
    click.echo(f"用时 {time.perf_counter() - started:.1f} 秒。")
    _warn_calendar()


def _import_file(file: str, load, describe) -> None:
    """A JSON file loaded by `load(session, data)` as the system, the slots following it, and
    what changed printed (`describe(outcome)`)."""
    data = _read_json(file)
    with _unit_of_work() as session:
        done = _change_and_regenerate(session, lambda session: load(session, data))
    click.echo(describe(done.change))
    click.echo(f"预约时段：{done.slots.summary()}")
    _warn_calendar()


@click.command("catalog-import")
@click.argument("file", type=click.Path(dir_okay=False))
def catalog_import_command(file):
    """Load a catalogue file, upserting by code; a file with any problem is refused whole."""
    _import_file(file, lambda session, data: import_catalog(
        session, SYSTEM, data, today=get_clock().now().date()), lambda result: result.summary())


@click.command("calendar-import")
@click.argument("file", type=click.Path(dir_okay=False))
def calendar_import_command(file):
    """Enter a year's official holiday and make-up workday dates."""
    _import_file(file, lambda session, data: import_calendar(session, SYSTEM, data,
                                                            get_clock().now()),
                 lambda counts: "节假日安排已录入：新增 {} 天，更新 {} 天，删除 {} 天。".format(*counts))


@click.command("calendar-status")
def calendar_status_command():
    """Say whether the holiday arrangements of the coming months are entered."""
    _warn_calendar()
    if not calendar_warnings(db.session, get_clock().now().date(),
                             current_app.config["CALENDAR_HORIZON_DAYS"]):
        click.echo("未来各年的节假日安排均已确认。")


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option("--name", default=None, help="姓名")
@click.option("--place", "places", multiple=True, help="场所编码，可重复")
@click.option("--department", default=None, help="部门编码（帮办代办员必填，村代办员除外）")
@click.option("--training-course", default=None, help="培训课程（帮办代办员必填）")
@click.option("--trained-on", default=None, help="培训日期 YYYY-MM-DD")
@click.option("--training-hours", default=None, help="培训学时")
@click.option("--training-provider", default=None, help="培训机构")
@click.option("--certificate", default=None, help="培训证书编号")
def create_user_command(username, role, name, places, department, training_course, trained_on,
                        training_hours, training_provider, certificate):
    """Create a staff account; the password is the first line of standard input. An agent is
    registered (登记备案) at its department's station in each place given, at once: it needs a
    current training record, given with the --training-* options."""
    password = sys.stdin.readline().rstrip("\r\n")
    training = None
    if any((training_course, trained_on, training_hours, training_provider, certificate)):
        try:
            day = date.fromisoformat(trained_on or "")
        except ValueError:
            raise click.ClickException("培训日期应为 YYYY-MM-DD（--trained-on）")
        training = Training(training_course or "", day, training_hours or "",
                            training_provider or "", certificate)
    with _unit_of_work() as session:
        staff = create_staff(session, SYSTEM, username=username, password=password, role=role,
                             name=name, place_codes=list(places), department_code=department,
                             now=get_clock().now(), training=training)
        registrations = _describe(staff.registrations)
    click.echo(f"已创建账号 {username}（{ROLES[role]}）。")
    for line in registrations:
        click.echo(f"  已登记备案：{line}")


def _describe(registrations) -> list[str]:
    lines = []
    for r in registrations:
        where = r.station.department.name if r.station else "村代办点"
        line = f"{r.place.name}（{r.place.code}） {where}，自 {r.registered_on:%Y-%m-%d} 起"
        lines.append(line + (f"，至 {r.ended_on:%Y-%m-%d} 止" if r.ended_on else ""))
    return lines


_registration_options = [
    click.argument("username"),
    click.option("--place", "places", multiple=True, required=True, help="场所编码，可重复"),
    click.option("--department", default=None, help="部门编码（村代办员在村级代办点登记备案时不填）"),
]


def _with_registration_options(command):
    for option in reversed(_registration_options):
        command = option(command)
    return command


@click.command("register-agent")
@_with_registration_options
def register_agent_command(username, places, department):
    """Register an agent (登记备案) at the department's station in each place given."""
    with _unit_of_work() as session:
        change = register_agent(session, SYSTEM, username, places, department,
                                get_clock().now().date())
        done, kept = _describe(change.changed), _describe(change.unchanged)
    for line in done:
        click.echo(f"已登记备案：{username} {line}")
    for line in kept:
        click.echo(f"已在登记中，未作更改：{username} {line}")


@click.command("unregister-agent")
@_with_registration_options
def unregister_agent_command(username, places, department):
    """End an agent's registration at the department's station in each place given; the
    registry keeps it with its dates. Cases the agent can no longer work are listed."""
    with _unit_of_work() as session:
        change = unregister_agent(session, SYSTEM, username, places, department,
                                  get_clock().now().date())
        done = _describe(change.changed)
        to_reassign = _to_reassign(session, change.staff)
    for line in done:
        click.echo(f"已注销登记备案：{username} {line}")
    _echo_to_reassign(username, to_reassign)


def _to_reassign(session, staff) -> list[tuple[str, str, str]]:
    """The staff member's open cases that others must now take: number, place, status."""
    return [(c.number, c.place.name, c.status_label)
            for c in cases_to_reassign(session) if c.agent_id == staff.id]


def _echo_to_reassign(username: str, to_reassign: list[tuple[str, str, str]]) -> None:
    if to_reassign:
        click.secho(f"以下 {len(to_reassign)} 个办件仍由 {username} 负责，请场所管理员改派：",
                    fg="yellow")
        for number, place, status in to_reassign:
            click.echo(f"  {number}  {place}  {status}")


jobs = AppGroup("jobs", help="Background jobs.")


@jobs.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
def run_job_command(name):
    """Run one background job once, now, and print what it did."""
    try:
        summary = run_job(name)
    except JobFailed as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{name}: {summary}")


@click.command("scheduler")
def scheduler_command():
    """Run the background jobs on their schedules (one process per deployment; Ctrl-C stops)."""
    from .scheduler import build_scheduler
    scheduler = build_scheduler(current_app._get_current_object())
    for job in scheduler.get_jobs():
        click.echo(f"  {job.id:<24} {job.trigger}")
    click.echo(f"定时任务已启动（时区 {current_app.config['TIMEZONE']}），按 Ctrl-C 停止。")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    click.echo("定时任务已停止。")


# A staff account's lifecycle (docs/api.md "Command line").

@click.command("deactivate-user")
@click.argument("username")
def deactivate_user_command(username):
    """Deactivate a staff account: sign-in refused, every session and token ended at once."""
    with _unit_of_work() as session:
        changed = deactivate_staff(session, SYSTEM, staff_named(session, username))
    click.echo(f"已停用账号 {username}，其全部登录会话与令牌已失效。" if changed
               else f"账号 {username} 已是停用状态。")


@click.command("activate-user")
@click.argument("username")
def activate_user_command(username):
    """Reactivate a deactivated staff account."""
    with _unit_of_work() as session:
        changed = activate_staff(session, SYSTEM, staff_named(session, username))
    click.echo(f"已启用账号 {username}。" if changed else f"账号 {username} 已是启用状态。")


@click.command("set-password")
@click.argument("username")
def set_password_command(username):
    """Set a staff account's password (first line of stdin); its sessions and tokens end."""
    password = sys.stdin.readline().rstrip("\r\n")
    with _unit_of_work() as session:
        set_password(session, SYSTEM, staff_named(session, username), password)
    click.echo(f"已为账号 {username} 设置新密码，其全部登录会话与令牌已失效。")


@click.command("unlock-user")
@click.argument("username")
def unlock_user_command(username):
    """Lift a staff sign-in lock (too many wrong passwords) before it expires."""
    with _unit_of_work() as session:
        staff_named(session, username)
        changed = unlock_sign_in(session, SYSTEM, username)
    click.echo(f"已解除账号 {username} 的登录锁定。" if changed
               else f"账号 {username} 未被锁定。")


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(list(ROLES)))
@click.option("--department", default=None, help="部门编码（成为帮办代办员时，默认为账号原属部门）")
def set_role_command(username, role, department):
    """Give a staff account another role; its sessions and tokens end. An agent who stops being
    one has its registrations ended and its open cases listed; a new agent is registered at its
    department's station in each of its places."""
    with _unit_of_work() as session:
        change = change_role(session, SYSTEM, staff_named(session, username), role,
                             department_code=department, on=get_clock().now().date())
        ended, registered = _describe(change.ended), _describe(change.registered)
        to_reassign = _to_reassign(session, change.staff) if change.ended else []
    if not change.changed:
        click.echo(f"账号 {username} 已是{ROLES[role]}，未作更改。")
        return
    click.echo(f"已将账号 {username} 的角色由{ROLES[change.previous]}改为{ROLES[role]}，"
               "其全部登录会话与令牌已失效。")
    for line in ended:
        click.echo(f"  已注销登记备案：{line}")
    for line in registered:
        click.echo(f"  已登记备案：{line}")
    _echo_to_reassign(username, to_reassign)


def register_commands(app: Flask) -> None:
    for command in (seed_demo_command, catalog_import_command, calendar_import_command,
                    calendar_status_command, create_user_command, register_agent_command,
                    unregister_agent_command, deactivate_user_command, activate_user_command,
                    set_password_command, unlock_user_command, set_role_command, jobs,
                    scheduler_command):
        app.cli.add_command(command)
