// Charts of the data system, drawn from the JSON the page carries beside each canvas
// (no inline script: the Content Security Policy forbids it). Every chart has its figures
// in a table on the page as well, so the canvas is a picture of the table, never the only
// way to read it; series differ by dash and point shape, not only by colour, and the
// heat-map writes each figure in its cell.
(function () {
  // Dark enough for 3:1 against white (WCAG 1.4.11), told apart by dash and shape too.
  const COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#4e342e"];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2], [8, 2]];
  const POINTS = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "cross"];
  const PATTERN_GAP = [0, 6, 3, 9];

  // A PNG of a chart has a white ground, as on the page, not a transparent one.
  const whiteGround = {
    id: "whiteGround",
    beforeDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  function hatch(colour, n) {
    // Bars of the second and later series carry stripes: colour is not the only signal.
    if (n === 0) return colour;
    const tile = document.createElement("canvas");
    tile.width = tile.height = 10;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 10, 10);
    ctx.strokeStyle = "rgba(255,255,255,0.75)";
    ctx.lineWidth = 2;
    ctx.beginPath();
    const gap = PATTERN_GAP[n % PATTERN_GAP.length];
    ctx.moveTo(0, 10 - gap);
    ctx.lineTo(10 - gap, 0);
    ctx.moveTo(gap, 10);
    ctx.lineTo(10, gap);
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function drawChart(canvas, data) {
    const bar = data.type === "bar";
    const suffix = data.suffix ?? "%";
    new Chart(canvas, {
      type: bar ? "bar" : "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((series, n) => ({
          label: series.label,
          data: series.data,
          borderColor: COLOURS[n % COLOURS.length],
          backgroundColor: bar ? hatch(COLOURS[n % COLOURS.length], n) : COLOURS[n % COLOURS.length],
          borderDash: bar ? [] : DASHES[n % DASHES.length],
          pointStyle: POINTS[n % POINTS.length],
          pointRadius: 4,
          borderWidth: bar ? 1 : n === 0 ? 3 : 2,
          // A hidden value is a gap, never a line drawn across it.
          spanGaps: false,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: {
            beginAtZero: true,
            max: data.max || undefined,
            ticks: { callback: (v) => v + suffix },
          },
        },
        plugins: {
          legend: { labels: { usePointStyle: !bar } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.formattedValue}${suffix}` } },
        },
      },
      plugins: [whiteGround],
    });
  }

  // Low, middle and high section scores: three shades, and the figure written in each.
  function heatColour(value) {
    if (value === null || value === undefined) return "#f1f3f5";
    if (value < 40) return "#f6d5d3";
    if (value < 70) return "#fdebc4";
    return "#cfe8d3";
  }

  // Words of a title on as many lines as it takes within a width (three at most).
  function wrap(ctx, text, width) {
    const lines = [];
    let line = "";
    text.split(" ").forEach((word) => {
      const next = line ? line + " " + word : word;
      if (ctx.measureText(next).width > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
    });
    if (line) lines.push(line);
    if (lines.length > 3) lines.splice(2, lines.length - 2, lines.slice(2).join(" ").slice(0, 14) + "…");
    return lines;
  }

  function fit(ctx, text, width) {
    if (ctx.measureText(text).width <= width) return text;
    while (text.length > 1 && ctx.measureText(text + "…").width > width) text = text.slice(0, -1);
    return text + "…";
  }

  function drawHeatmap(canvas, data) {
    const ratio = window.devicePixelRatio || 1;
    const box = canvas.parentElement;
    const columns = data.columns.length || 1;
    // Narrow screens scroll the heat-map sideways in its box rather than crush its cells.
    const labelWidth = Math.min(240, Math.max(140, box.clientWidth * 0.36));
    const width = Math.max(box.clientWidth, labelWidth + columns * 84);
    const rowHeight = 24;
    const cellWidth = (width - labelWidth) / columns;
    const ctx = canvas.getContext("2d");
    ctx.font = "12px system-ui, sans-serif";
    const titles = data.columns.map((title) => wrap(ctx, title, cellWidth - 8));
    const headHeight = 8 + 15 * Math.max(1, ...titles.map((lines) => lines.length));
    const height = headHeight + rowHeight * data.rows.length + 4;
    box.style.height = height + 16 + "px";
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    ctx.scale(ratio, ratio);
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.textBaseline = "middle";
    ctx.textAlign = "center";
    ctx.fillStyle = "#1f2933";
    titles.forEach((lines, c) => {
      const x = labelWidth + c * cellWidth + cellWidth / 2;
      const top = headHeight - 6 - 15 * lines.length;
      lines.forEach((line, n) => ctx.fillText(line, x, top + 15 * n + 8));
    });
    data.rows.forEach((row, r) => {
      const y = headHeight + r * rowHeight;
      ctx.fillStyle = "#1f2933";
      ctx.textAlign = "left";
      ctx.fillText(fit(ctx, row.label, labelWidth - 8), 2, y + rowHeight / 2);
      row.cells.forEach((value, c) => {
        const x = labelWidth + c * cellWidth;
        ctx.fillStyle = heatColour(value);
        ctx.fillRect(x + 1, y + 1, cellWidth - 2, rowHeight - 2);
        ctx.fillStyle = "#1f2933";
        ctx.textAlign = "center";
        const text = value === null || value === undefined ? "–" : value + "%";
        ctx.fillText(text, x + cellWidth / 2, y + rowHeight / 2);
      });
    });
  }

  function draw(canvas) {
    if (canvas.dataset.drawn) return;
    // The figures come on the canvas (data-figures), or in a JSON script it names.
    const source = canvas.dataset.figures || document.getElementById(canvas.dataset.chart)?.textContent;
    if (!source) return;
    const data = JSON.parse(source);
    if (data.type === "heatmap") drawHeatmap(canvas, data);
    else if (typeof Chart !== "undefined") drawChart(canvas, data);
    else return;
    canvas.dataset.drawn = "1";
  }

  function download(button) {
    const canvas = document.getElementById(button.dataset.png);
    if (!canvas) return;
    canvas.toBlob((blob) => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.filename || "chart.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, "image/png");
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart], canvas[data-figures]").forEach(draw);
    // Without a script there is no PNG to make: the button shows only with one.
    (root || document).querySelectorAll("button[data-png]").forEach((b) => (b.hidden = false));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-png]");
    if (button) download(button);
  });
  // Parts loaded later (the dashboard's detail) draw their charts when they arrive.
  document.addEventListener("htmx:afterSettle", (event) => drawAll(event.target));

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => drawAll());
  else drawAll();
})();
