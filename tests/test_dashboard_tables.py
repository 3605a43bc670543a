"""A dashboard figure's table, written in Python for speed: every value escaped, each
heat-map cell banded and labelled in words, a withheld value marked as withheld."""

from datasystem.dashboards import Chart, TableCell


def test_a_heatmap_row_bands_each_score_and_writes_it_in_the_cell():
    chart = Chart(
        key="capacity-heatmap",
        title="Capacity",
        kind="heatmap",
        header=["Team", "Leadership", "Teaming", "Data", "Coaching"],
        rows=[
            [
                "North <Region> (May 2026)",
                TableCell("39%", number=39),
                TableCell("40%", number=40),
                TableCell("70%", number=70),
                TableCell("—"),
            ]
        ],
    )

    assert chart.table_body() == (
        '<tr><th scope="row">North &lt;Region&gt; (May 2026)</th>'
        '<td class="heat heat-low">39%</td>'
        '<td class="heat heat-mid">40%</td>'
        '<td class="heat heat-high">70%</td>'
        "<td>—</td></tr>"
    )


def test_a_withheld_value_is_marked_and_plain_cells_are_escaped():
    chart = Chart(
        key="outcome",
        title="Reading",
        header=["Group", "Value", "Note"],
        rows=[["Girls", TableCell("*", hidden=True), "<b>&</b>"]],
    )

    assert chart.table_body() == (
        '<tr><th scope="row">Girls</th><td class="suppressed">*</td>'
        "<td>&lt;b&gt;&amp;&lt;/b&gt;</td></tr>"
    )


def test_only_a_heatmap_colours_its_cells():
    chart = Chart(key="fidelity", title="Fidelity", rows=[["Tool", TableCell("80%", number=80)]])

    assert chart.table_body() == '<tr><th scope="row">Tool</th><td>80%</td></tr>'
