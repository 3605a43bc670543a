// Charts of the data system, drawn from the JSON the page carries beside each canvas
// (no inline script: the Content Security Policy forbids it). Every chart has its figures
// in a table on the page as well, so the canvas is a picture of the table, never the only
// way to read it; series differ by dash and point shape, not only by colour.
(function () {
  const COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#4e342e"];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2], [8, 2]];
  const POINTS = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "cross"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined" || canvas.dataset.drawn) return;
    const data = JSON.parse(source.textContent);
    canvas.dataset.drawn = "1";
    new Chart(canvas, {
      type: data.type || "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((series, n) => ({
          label: series.label,
          data: series.data,
          borderColor: COLOURS[n % COLOURS.length],
          backgroundColor: COLOURS[n % COLOURS.length],
          borderDash: DASHES[n % DASHES.length],
          pointStyle: POINTS[n % POINTS.length],
          pointRadius: 4,
          borderWidth: n === 0 ? 3 : 2,
          spanGaps: true,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: data.max || undefined, ticks: { callback: (v) => v + "%" } } },
        plugins: { legend: { labels: { usePointStyle: true } } },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
