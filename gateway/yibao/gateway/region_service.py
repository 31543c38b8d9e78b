"""Y9101 region availability query and Y9102 operator changes (Yibao extensions, region.proto)."""

from __future__ import annotations

from datetime import datetime

from yibao.call import CallContext
from yibao.domain.availability import MAINTENANCE, OPERATOR, UNREACHABLE, Window, outage, pending, time_text
from yibao.domain.world import Region, World
from yibao.errors import Refusal
from yibao.gateway import region_check
from yibao.inputs import datetime_field, flag_field, require
from yibao.storage import regions
from yibao.storage.regions import RuntimeAvailability
from yibao.storage.store import Tx
from yibao.v1 import region_pb2 as pb

ACTIONS = ("unreachable", "reachable", MAINTENANCE)


def query_region_status(
    world: World, tx: Tx, ctx: CallContext, inp: pb.QueryRegionStatusInput
) -> pb.QueryRegionStatusOutput:
    wanted = inp.data.admdvs
    chosen = [_region(world, wanted, "input.data.admdvs")] if wanted else list(world.regions.values())
    runtime = regions.load(tx)  # fresh, not the check's cache: an operator reads back what he just set
    return pb.QueryRegionStatusOutput(
        region=[status(r, runtime, ctx.now) for r in sorted(chosen, key=lambda r: r.admdvs)]
    )


def set_region_status(world: World, tx: Tx, ctx: CallContext, inp: pb.SetRegionStatusInput) -> pb.SetRegionStatusOutput:
    if not ctx.institution.operator:
        raise Refusal(
            "AUTH_NOT_OPERATOR", "header.fixmedins_code", code=ctx.institution.fixmedins_code, infno=ctx.infno
        )
    d, path = inp.data, "input.data"
    require(d, path, "admdvs", "action")
    region = _region(world, d.admdvs, f"{path}.admdvs")
    action = flag_field(d.action, f"{path}.action", ACTIONS)
    if action != "reachable":
        require(d, path, "reason")
    by = ctx.institution.fixmedins_code
    if action == MAINTENANCE:
        require(d, path, "endtime")
        begin = datetime_field(d.begntime, f"{path}.begntime") if d.begntime else ctx.now
        end = datetime_field(d.endtime, f"{path}.endtime")
        if end <= max(begin, ctx.now):
            rule = f"应晚于开始时间 {time_text(begin)} 和当前时间 {ctx.time_text}，收到 {d.endtime}"
            raise Refusal("ENV_FORMAT", f"{path}.endtime", rule=rule)
        regions.add_window(tx, region.admdvs, Window(begin, end, d.reason, OPERATOR), ctx.now, by)
    else:
        regions.set_reachability(tx, region.admdvs, action == UNREACHABLE, d.reason, ctx.now, by)
    region_check.changed()
    return pb.SetRegionStatusOutput(region=status(region, regions.load(tx), ctx.now))


def status(region: Region, runtime: RuntimeAvailability, now: datetime) -> pb.RegionStatus:
    """A region's availability at `now`, with its windows in progress and to come."""
    windows = region_check.windows(region.maintenance, runtime, region.admdvs)
    mark = runtime.unreachable.get(region.admdvs)
    down = outage(windows, mark, now)
    return pb.RegionStatus(
        admdvs=region.admdvs,
        admdvs_name=region.name,
        avail_flag="0" if down else "1",
        resume_time=time_text(down.until) if down and down.until else "",
        reachable_flag="0" if mark else "1",
        unreachable_since=time_text(mark.since) if mark else "",
        unreachable_reason=mark.reason if mark else "",
        window=[
            pb.RegionWindow(
                begntime=time_text(w.begin),
                endtime=time_text(w.end),
                reason=w.reason,
                source=w.source,
                in_progress_flag="1" if w.covers(now) else "0",
            )
            for w in pending(windows, now)
        ],
    )


def _region(world: World, admdvs: str, field: str) -> Region:
    region = world.regions.get(admdvs)
    if region is None:
        raise Refusal("REGION_NOT_FOUND", field, admdvs=admdvs, known=" ".join(sorted(world.regions)))
    return region
