"""The columns of the purchase-order and lot-consumption spreadsheets, in both languages."""

from __future__ import annotations

from models.sheets import Column

ORDER_COLUMNS = (
    Column(
        "po_number",
        "PO number",
        "订单号",
        True,
        "Lines with the same number form one order.",
        "相同订单号的行组成一张订单。",
    ),
    Column(
        "supplier",
        "Supplier",
        "供应商",
        True,
        "Credit code or name of an active supplier.",
        "有效供应商的统一社会信用代码或名称。",
    ),
    Column(
        "order_date",
        "Order date",
        "下单日期",
        False,
        "YYYY-MM-DD; today when empty.",
        "格式 YYYY-MM-DD，空则为今天。",
        kind="date",
    ),
    Column(
        "line",
        "Line",
        "行号",
        False,
        "Whole number; numbered on when empty.",
        "整数，空则自动编号。",
        kind="number",
    ),
    Column(
        "part_number", "Part number", "零件号", True, "One of your part numbers.", "贵司的零件号。"
    ),
    Column("quantity", "Quantity", "数量", True, "Greater than 0.", "大于0。", kind="number"),
    Column(
        "unit",
        "Unit",
        "单位",
        False,
        "The part's unit; empty means the part's unit.",
        "零件的单位，空则用零件单位。",
    ),
    Column(
        "due_date", "Due date", "交货日期", True, "YYYY-MM-DD.", "格式 YYYY-MM-DD。", kind="date"
    ),
    Column(
        "unit_price",
        "Unit price",
        "单价",
        False,
        "Optional; seen by you and the supplier only.",
        "可选，仅贵司与供应商可见。",
        kind="number",
    ),
    Column("currency", "Currency", "币种", False, "CNY when empty.", "空则为 CNY。"),
)

CONSUMPTION_COLUMNS = (
    Column(
        "output_lot",
        "Output lot",
        "产出批次",
        True,
        "Your lot number that was made.",
        "贵司生产的批次号。",
    ),
    Column(
        "part_number",
        "Part number",
        "零件号",
        False,
        "Needed when the output lot is new.",
        "产出批次为新批次时必填。",
    ),
    Column(
        "made_at", "Made on", "生产日期", False, "YYYY-MM-DD.", "格式 YYYY-MM-DD。", kind="date"
    ),
    Column(
        "input_lot",
        "Input lot",
        "投入批次",
        True,
        "A lot your supplier shipped to you.",
        "供应商发给贵司的批次号。",
    ),
    Column(
        "input_supplier",
        "Input supplier",
        "投入批次供应商",
        False,
        "Needed when several suppliers used the same lot number.",
        "多家供应商使用相同批次号时必填。",
    ),
    Column("quantity", "Quantity used", "用量", True, "Greater than 0.", "大于0。", kind="number"),
)
