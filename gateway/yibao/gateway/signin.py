"""9001 sign-in and 9002 sign-out, and the sign_no check every other transaction passes."""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import require
from yibao.storage.store import Tx
from yibao.v1 import signin_pb2 as pb


def check_sign_no(tx: Tx, sign_no: str, fixmedins_code: str, field: str = "header.sign_no") -> None:
    if not sign_no:
        raise Refusal("ENV_REQUIRED", field)
    row = tx.signin(sign_no)
    if row is None or row.fixmedins_code != fixmedins_code:
        raise Refusal("AUTH_SIGN_NO_UNKNOWN", field, value=sign_no, code=fixmedins_code)
    if row.signout_time is not None:
        raise Refusal("AUTH_SIGNED_OUT", field, value=sign_no, time=row.signout_time)


def sign_in(world: World, tx: Tx, ctx: CallContext, inp: pb.SignInInput) -> pb.SignInOutput:
    d = inp.signIn
    require(d, "input.signIn", "opter_no", "ip")
    sign_no = new_id(ctx.mdtrtarea_admvs, ctx.now)
    tx.add_signin(
        sign_no=sign_no,
        fixmedins_code=ctx.institution.fixmedins_code,
        opter_no=d.opter_no,
        mac=d.mac,
        ip=d.ip,
        sign_time=ctx.time_text,
        signout_time=None,
    )
    return pb.SignInOutput(signinoutb=pb.SignInOutb(sign_time=ctx.time_text, sign_no=sign_no))


def sign_out(world: World, tx: Tx, ctx: CallContext, inp: pb.SignOutInput) -> pb.SignOutOutput:
    d = inp.signOut
    require(d, "input.signOut", "sign_no", "opter_no")
    check_sign_no(tx, d.sign_no, ctx.institution.fixmedins_code, "input.signOut.sign_no")
    tx.sign_out(d.sign_no, ctx.time_text)
    return pb.SignOutOutput(signoutoutb=pb.SignOutOutb(sign_time=ctx.time_text))
