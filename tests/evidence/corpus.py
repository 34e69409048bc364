"""A small corpus of our own for evidence suggestions: one claim, and statements of other sources that
deny it, paraphrase it, give it another year, or have nothing to do with it."""

CLAIM = "Officials said the Kestrel agency paid the Northwind militia to attack the river convoy in 2019."
TEXTS = {
    "denial": "The Kestrel agency denied that it paid the Northwind militia, calling the report a fabrication. "
    "Its spokesman spoke in the capital.",
    "paraphrase": "According to officials, the Northwind fighters received money from the Kestrel agency "
    "for attacks on the river convoy. The harvest was late.",
    "conflict": "The Kestrel agency paid the Northwind militia to attack the river convoy in 2016, "
    "investigators found.",
    "unrelated": "The harvest festival in the valley drew record crowds this autumn. "
    "Farmers sold apples and pears at the market.",
}
