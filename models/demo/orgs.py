"""Demo organisations: an automaker, its tier-1s and tier-2s, a second anchor, and their people.

Minghui Plastics (tier 2) shares nothing upstream, so the anchor sees it only as withheld;
Changsheng Steel (tier 2) lets every category reach the anchor; Jinggong Foundry lets quality
and traceability through but keeps carbon to its direct buyer. Ningyuan Electronics also
supplies a second anchor, Beichen EV.
"""

from __future__ import annotations

from models.accounts.operations import create_user
from models.actor import Actor
from models.demo.context import DEMO_PASSWORD, DemoContext
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.operations import add_site, create_organisation
from models.orgs.sharing import link_supplier


def _code(first17: str) -> str:
    return first17 + uscc_check_character(first17)


ORGS: dict[str, dict] = {
    "changfeng": {
        "kind": "anchor",
        "name_zh": "长风汽车股份有限公司",
        "name_en": "Changfeng Motor Co., Ltd.",
        "credit_code": _code("91320100MA1CF0001"),
        "employees": 12000,
        "annual_revenue_wan": 3200000,
        "industry": "C36 汽车制造业",
        "site": ("长风南京总装厂", "南京市江宁区长风大道1号", "east_china"),
    },
    "beichen": {
        "kind": "anchor",
        "name_zh": "北辰新能源汽车有限公司",
        "name_en": "Beichen EV Co., Ltd.",
        "credit_code": _code("91110000MA1BC0002"),
        "employees": 4200,
        "annual_revenue_wan": 880000,
        "industry": "C36 汽车制造业",
        "site": ("北辰北京工厂", "北京市顺义区北辰路8号", "north_china"),
    },
    "jiangnan": {
        "kind": "supplier",
        "name_zh": "江南座椅系统有限公司",
        "name_en": "Jiangnan Seating Systems Co., Ltd.",
        "credit_code": _code("91320500MA1JN0003"),
        "employees": 640,
        "annual_revenue_wan": 52000,
        "industry": "C3670 汽车零部件及配件制造",
        "site": ("苏州座椅工厂", "苏州市吴中区江南路66号", "east_china"),
    },
    "ningyuan": {
        "kind": "supplier",
        "name_zh": "宁远电子科技有限公司",
        "name_en": "Ningyuan Electronics Technology Co., Ltd.",
        "credit_code": _code("91330200MA1NY0004"),
        "employees": 310,
        "annual_revenue_wan": 18000,
        "industry": "C3670 汽车零部件及配件制造",
        "site": ("宁波电子工厂", "宁波市北仑区宁远路18号", "east_china"),
    },
    "hengtong": {
        "kind": "supplier",
        "name_zh": "恒通制动器有限公司",
        "name_en": "Hengtong Brake Co., Ltd.",
        "credit_code": _code("91370200MA1HT0005"),
        "employees": 180,
        "annual_revenue_wan": 9600,
        "industry": "C3670 汽车零部件及配件制造",
        "site": ("青岛制动器工厂", "青岛市黄岛区恒通路9号", "north_china"),
    },
    "changsheng": {
        "kind": "supplier",
        "name_zh": "昌盛钢材加工厂",
        "name_en": "Changsheng Steel Processing Works",
        "credit_code": _code("92320500MA1CH0006"),
        "employees": 45,
        "annual_revenue_wan": 2600,
        "industry": "C3130 钢压延加工",
        "site": ("昌盛车间", "常州市武进区昌盛路3号", "east_china"),
    },
    "minghui": {
        "kind": "supplier",
        "name_zh": "明辉塑胶制品有限公司",
        "name_en": "Minghui Plastic Products Co., Ltd.",
        "credit_code": _code("91441900MA1MH0007"),
        "employees": 16,
        "annual_revenue_wan": 240,
        "industry": "C2929 塑料零件制造",
        "site": ("明辉注塑车间", "东莞市长安镇明辉路12号", "south_china"),
    },
    "jinggong": {
        "kind": "supplier",
        "name_zh": "精工铸造有限公司",
        "name_en": "Jinggong Foundry Co., Ltd.",
        "credit_code": _code("91370800MA1JG0008"),
        "employees": 88,
        "annual_revenue_wan": 4100,
        "industry": "C3391 黑色金属铸造",
        "site": ("精工铸造车间", "济宁市任城区精工路5号", "north_china"),
    },
}

#: (email, name, organisation key, role)
USERS: list[tuple[str, str, str, str]] = [
    ("admin@changfeng.demo", "王磊 Wang Lei", "changfeng", "admin"),
    ("buyer@changfeng.demo", "李娜 Li Na", "changfeng", "procurement"),
    ("quality@changfeng.demo", "张伟 Zhang Wei", "changfeng", "quality"),
    ("carbon@changfeng.demo", "陈静 Chen Jing", "changfeng", "carbon"),
    ("viewer@changfeng.demo", "刘洋 Liu Yang", "changfeng", "viewer"),
    ("admin@beichen.demo", "赵敏 Zhao Min", "beichen", "admin"),
    ("admin@jiangnan.demo", "周强 Zhou Qiang", "jiangnan", "admin"),
    ("floor@jiangnan.demo", "吴芳 Wu Fang", "jiangnan", "reporter"),
    ("admin@ningyuan.demo", "孙涛 Sun Tao", "ningyuan", "admin"),
    ("admin@hengtong.demo", "郑浩 Zheng Hao", "hengtong", "admin"),
    ("floor@hengtong.demo", "冯丽 Feng Li", "hengtong", "reporter"),
    ("admin@changsheng.demo", "何军 He Jun", "changsheng", "admin"),
    ("floor@changsheng.demo", "许梅 Xu Mei", "changsheng", "reporter"),
    ("admin@minghui.demo", "郭亮 Guo Liang", "minghui", "admin"),
    ("admin@jinggong.demo", "马超 Ma Chao", "jinggong", "admin"),
]

ALL = {
    f"{c}_{scope}": True
    for c in ("progress", "quality", "carbon", "traceability")
    for scope in ("buyer", "upstream")
}
BUYER_ONLY = {f"{c}_buyer": True for c in ("progress", "quality", "carbon", "traceability")}
NO_CARBON_UPSTREAM = {**ALL, "carbon_upstream": False}

#: (buyer, supplier, sharing agreement, accepted by)
LINKS = [
    ("changfeng", "jiangnan", ALL, "admin@jiangnan.demo"),
    ("changfeng", "ningyuan", ALL, "admin@ningyuan.demo"),
    ("changfeng", "hengtong", ALL, "admin@hengtong.demo"),
    ("beichen", "ningyuan", BUYER_ONLY, "admin@ningyuan.demo"),
    ("jiangnan", "changsheng", ALL, "admin@changsheng.demo"),
    ("hengtong", "changsheng", ALL, "admin@changsheng.demo"),
    ("jiangnan", "minghui", BUYER_ONLY, "admin@minghui.demo"),
    ("hengtong", "jinggong", NO_CARBON_UPSTREAM, "admin@jinggong.demo"),
]


def seed_organisations(ctx: DemoContext) -> None:
    for key, spec in ORGS.items():
        data = {k: v for k, v in spec.items() if k not in {"kind", "site"}}
        org = create_organisation(ctx.session, _operator(), spec["kind"], data)
        ctx.orgs[key] = org
        name, address, region = spec["site"]
        add_site(
            ctx.session,
            _operator(),
            {"name": name, "address": address, "region": region},
            org_id=org.id,
        )
    for email, name, org_key, role in USERS:
        user = create_user(
            ctx.session, email, name, DEMO_PASSWORD, "en" if org_key == "beichen" else None
        )
        add_member(ctx.session, ctx.orgs[org_key].id, user, role)
        ctx.users[email], ctx.roles[email], ctx.user_org[email] = user, role, org_key
    for buyer, supplier, sharing, accepted_by in LINKS:
        link_supplier(
            ctx.session, ctx.actor(accepted_by), ctx.orgs[buyer].id, ctx.orgs[supplier].id, sharing
        )


def _operator() -> Actor:
    return Actor.system("cli")
