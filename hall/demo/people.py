"""Invented visitors for the demo hall: names, ID numbers, phones, addresses and matters.

    make = PeopleMaker(config, random.Random(7))
    make.open_day(date(2026, 11, 23), {"lawyer"})  # no legal questions: the seat is closed
    person = make.person(elderly=True)        # a Person with a matter fitting its category

Everything is invented, deterministically from the random source: common surnames and given names
of the visitor's generation, ID numbers with real address codes, a birth date, the sex in the
sequence's parity and the check character of GB 11643-1999, mobile numbers, addresses in the
configured districts, and a matter and request that fit the category (欠薪, 征收补偿, 物业, 举报,
土地承包 ...), weighted as such halls see them. Used by :mod:`hall.demo`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from config.schema import HallConfig
from hall.text.idnumber import check_character

# 江川市 is invented; its people carry real address codes (Hangzhou's, the old 江干区 among them,
# as older cards still do), one per configured district in order, cycling when there are more.
HOME_CODES = ("330105", "330102", "330104", "330106", "330108", "330122", "330127", "330110")
# Migrant builders come from afar: 四川南部县, 河南光山县, 安徽临泉县, 贵州湄潭县.
AWAY_CODES = ("511321", "411522", "341221", "520328")

SURNAMES = ("王王王李李李张张张刘刘陈陈杨杨黄赵赵吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
            "邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖方")
GIVEN = {  # (sex, generation) -> given names
    ("M", 0): "建国 国强 德明 志刚 卫东 建华 永福 长生 金海 振华 广才 树林 春生 福根 有才".split(),
    ("F", 0): "秀英 桂英 秀兰 玉兰 凤英 淑珍 美华 素芬 玉梅 桂芳 彩霞 月娥 金花".split(),
    ("M", 1): "伟 勇 军 斌 强 磊 涛 海波 建军 晓东 立新 文杰 志强 国平 红兵".split(),
    ("F", 1): "丽 芳 敏 静 燕 艳 娟 丽华 晓红 海燕 春梅 雪芬 美玲".split(),
    ("M", 2): "浩 宇 鹏 杰 子豪 俊杰 浩然 宇航 鑫 博文 家豪 志远".split(),
    ("F", 2): "婷 欣怡 雪 佳琪 梦瑶 思雨 倩 雨欣 诗涵 晓雯".split(),
}
MOBILE = ("138 139 135 136 137 150 151 152 158 159 182 187 188 130 131 132 155 156 185 186 "
          "133 153 177 180 181 189 199").split()
FILL = {
    "company": ("江川宏达建设有限公司", "江川市鑫源建筑劳务公司", "江川恒泰置业有限公司",
                "江川市顺通装饰工程公司", "江川建工集团第三分公司"),
    "project": ("滨江花园二期", "城东安置小区", "高新区科创园B区", "临河县人民医院新院区",
                "江北商业综合体"),
    "estate": ("锦绣江南", "阳光水岸", "金色家园", "翠湖苑", "东方明珠花园", "城西新村"),
    "road": ("解放路", "中山路", "人民路", "建设路", "滨江路", "新华路", "东风路", "环城北路"),
    "town": ("石桥镇", "城关镇", "白沙镇", "青石镇", "河口乡", "桃源镇"),
    "village": ("上塘", "李家湾", "新丰", "黄泥岗", "东岳", "柳溪"),
    "hospital": ("市第一人民医院", "市中医院", "江南区人民医院", "临河县人民医院"),
    "factory": ("江川化工厂", "城东搅拌站", "江北印染厂", "青山石料厂"),
    "months": ("三", "四", "五", "七", "八"),
    "amount": ("8600", "12400", "23500", "36800", "51000", "78000"),
    "year": ("2019", "2020", "2021", "2022", "2023"),
}
# category -> (weight today, [(matter, request), ...]); {key}s are filled from FILL.
MATTERS: dict[str, tuple[int, list[tuple[str, str]]]] = {
    "wages": (14, [
        ("在{company}承建的{project}工地务工，被拖欠工资{months}个月共{amount}元",
         "请求督促{company}支付拖欠工资{amount}元"),
        ("包工头拖欠{project}项目木工班组工资{amount}元后失联", "请求查找包工头并落实欠薪清偿"),
    ]),
    "demolition": (10, [
        ("{road}地块房屋征收，对评估价格和补偿面积有异议", "请求按同地段市场价重新评估补偿"),
        ("{year}年签订征收协议，安置房至今未交付，过渡费停发{months}个月",
         "请求尽快交付安置房并补发过渡费"),
    ]),
    "property": (8, [
        ("{estate}小区物业擅自上调物业费，电梯长期故障无人维修", "请求督促物业整改并公开收支"),
        ("{estate}小区维修基金使用不公开，业委会选举受阻", "请求住建部门指导业委会依法选举"),
    ]),
    "arrears": (4, [
        ("{company}承建{project}，建设单位拖欠工程款{amount}万元",
         "请求清欠办协调建设单位支付工程款"),
    ]),
    "land_use": (6, [
        ("邻居在宅基地上违法加建三层，影响采光和通行", "请求自然资源部门依法查处违法建筑"),
        ("{town}{village}村集体土地被征收，征地补偿款未足额发放", "请求公开征地补偿标准并补足差额"),
    ]),
    "land_contract": (5, [
        ("{town}{village}村第二轮承包地被村委会调整收回", "请求恢复本户承包经营权"),
        ("承包地流转给合作社后流转费连续两年未兑现", "请求督促合作社支付流转费"),
    ]),
    "litigation": (7, [
        ("民间借贷案件判决生效已一年，被执行人有财产却一直未执行到位", "请求法院加快执行"),
        ("对{year}年一审离婚财产分割判决不服，申请再审", "请求法院依法再审"),
    ]),
    "procuratorial": (2, [
        ("不服合同纠纷再审驳回裁定", "请求检察机关依法监督"),
    ]),
    "policing": (6, [
        ("网购被诈骗{amount}元，报案后派出所一直未立案", "请求公安机关立案侦查并追回损失"),
        ("与邻居纠纷被打伤，派出所调解不公", "请求依法处理打人者"),
    ]),
    "labour": (6, [
        ("公司未为本人缴纳社会保险，离职后无法补缴", "请求责令公司补缴社保"),
        ("工伤认定后单位拒不支付一次性伤残补助金", "请求督促单位支付工伤待遇"),
    ]),
    "report": (4, [
        ("反映{town}{village}村干部在低保评定中优亲厚友", "请求纪委监委调查处理"),
        ("反映某局工作人员在审批中吃拿卡要", "请求调查核实并依规处理"),
    ]),
    "policy": (6, [
        ("咨询退役军人优待抚恤政策", "请求告知申领条件和办理渠道"),
        ("咨询独生子女父母奖励扶助政策", "请求解释政策并告知办理部门"),
    ]),
    "relief": (5, [
        ("家庭困难申请低保被驳回", "请求重新审核低保申请"),
        ("因病致贫，申请临时救助", "请求给予临时救助"),
    ]),
    "medical": (4, [
        ("母亲在{hospital}手术后出现严重并发症，对医院处理不满", "请求组织医疗事故技术鉴定"),
    ]),
    "pollution": (4, [
        ("{factory}夜间生产噪声扰民，排放异味", "请求生态环境部门查处"),
    ]),
    "reform": (3, [
        ("原{factory}改制时职工身份置换补偿金未足额发放", "请求按改制方案补发补偿金"),
    ]),
    "emergency": (1, [
        ("{estate}小区燃气爆炸事故后房屋受损，善后赔偿未落实", "请求落实损失赔偿"),
    ]),
    "legal_advice": (4, [
        ("咨询劳动仲裁的申请期限和程序", "请求律师解答"),
        ("咨询离婚时房产分割问题", "请求律师提供法律意见"),
    ]),
    "other": (2, [("反映小区门前道路坑洼积水", "请求有关部门修复道路")]),
}
PEOPLE_AWAY = ("wages", "arrears")  # categories whose visitors often come from other provinces



@dataclass
class Person:
    """An invented visitor and the matter that brings them to the hall."""

    name: str
    id_number: str
    phone: str
    district: str
    address: str
    category: str
    matter: str
    request: str
    priority: str = ""


class PeopleMaker:
    """Invents people from one ``random.Random``, with unique ID numbers."""

    def __init__(self, config: HallConfig, rng: random.Random) -> None:
        self.rng, self.config = rng, config
        self.taken: set[str] = set()
        known = [c for c in MATTERS if config.category(c)]
        self.all_categories = known or [c.code for c in config.categories]
        self.categories = self.all_categories

    def open_day(self, day: date, closed: set[str] | frozenset[str] = frozenset()) -> None:
        """Matters of ``day``: none for the departments ``closed`` that day (the lawyer seat
        sits only on its days)."""
        self.categories = [c for c in self.all_categories
                           if (spec := self.config.category(c)) is None
                           or spec.department not in closed]

    def person(self, *, category: str = "", elderly: bool = False, sex: str = "",
               born: tuple[int, int] | None = None, away: bool | None = None) -> Person:
        """A new visitor; ``born`` is a range of birth years, ``away`` an out-of-town ID."""
        rng = self.rng
        category = category or rng.choices(
            self.categories, [MATTERS.get(c, (2, []))[0] for c in self.categories])[0]
        sex = sex or rng.choice("MMF")  # petitioners at a desk are more often men
        first, last = born or ((1940, 1955) if elderly else (1956, 2004))
        birth = date(rng.randint(first, last), 1, 1) + timedelta(days=rng.randrange(365))
        generation = 0 if birth.year < 1966 else 1 if birth.year < 1986 else 2
        name = rng.choice(SURNAMES) + rng.choice(GIVEN[(sex, generation)])
        index = rng.randrange(len(self.config.districts))
        district = self.config.districts[index]
        if away is None:
            away = category in PEOPLE_AWAY and rng.random() < 0.6
        region = rng.choice(AWAY_CODES) if away else HOME_CODES[index % len(HOME_CODES)]
        phone = "" if elderly and rng.random() < 0.2 else self.phone()
        matter, request = self._matter(category)
        return Person(name=name, id_number=self._id_number(region, birth, sex), phone=phone,
                      district=district.code, address=self._address(district.name),
                      category=category, matter=matter, request=request)

    def again(self, person: Person, categories: tuple[str, ...]) -> Person:
        """``person`` back about another matter: the first of ``categories`` (configured) that
        is not theirs, with a matter and request that fit it; the same person otherwise."""
        category = next((c for c in categories if c != person.category
                         and self.config.category(c)), person.category)
        matter, request = self._matter(category)
        return replace(person, category=category, matter=matter, request=request)

    def phone(self) -> str:
        """A mobile number."""
        return self.rng.choice(MOBILE) + f"{self.rng.randrange(10**8):08d}"

    def _id_number(self, region: str, born: date, sex: str) -> str:
        while True:  # the sequence's parity carries the sex: odd for men
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            number = first17 + check_character(first17)
            if number not in self.taken:
                self.taken.add(number)
                return number

    def _matter(self, category: str) -> tuple[str, str]:
        options = MATTERS.get(category, (0, []))[1]
        if not options:
            cat = self.config.category(category)
            return f"反映{cat.name if cat else '有关'}方面的问题", "请求有关部门依法处理"
        fill = {key: self.rng.choice(values) for key, values in FILL.items()}
        matter, request = self.rng.choice(options)
        return matter.format(**fill), request.format(**fill)

    def _address(self, district: str) -> str:
        rng = self.rng
        if district.endswith(("县", "乡", "镇")):
            return (f"{district}{rng.choice(FILL['town'])}{rng.choice(FILL['village'])}村"
                    f"{rng.randint(1, 12)}组{rng.randint(1, 60)}号")
        return (f"{district}{rng.choice(FILL['road'])}{rng.randint(1, 400)}号"
                f"{rng.randint(1, 30)}幢{rng.randint(1, 4)}单元"
                f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室")

