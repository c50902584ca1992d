"""Chapter 4 (stacked convolutional auto-encoders): the scaled ReLU encoder and L2 pooling.

Shapes follow the package: images ``x: (batch, C, H, W)``; filters ``W_e: (n_maps, C, k, k)``,
biases ``b`` and scales ``g: (n_maps,)``; feature maps ``z: (batch, n_maps, H_z, W_z)``; pools
are groups of ``group_size`` consecutive maps × ``pool × pool`` windows of positions taken
every ``stride`` positions.
"""
from __future__ import annotations

from typing import Callable, Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from . import Case, Report, run_cases

__all__ = ["check_conv_encoder", "check_l2_pool", "conv_encoder", "l2_pool"]

HINTS = {
    "encoder": {
        "en": "z = g_c * ReLU(W_e * x + b): torch.nn.functional.conv2d(x, W_e, b, padding=padding), "
              "then relu, then multiply map c by g[c] (reshape g to (n_maps, 1, 1) to broadcast).",
        "es": "z = g_c * ReLU(W_e * x + b): torch.nn.functional.conv2d(x, W_e, b, padding=padding), "
              "luego relu, luego multiplica el mapa c por g[c] (cambia g a la forma (n_maps, 1, 1) "
              "para que se difunda).",
        "it": "z = g_c * ReLU(W_e * x + b): torch.nn.functional.conv2d(x, W_e, b, padding=padding), "
              "poi relu, poi moltiplica la mappa c per g[c] (porta g alla forma (n_maps, 1, 1) per "
              "il broadcasting).",
        "fr": "z = g_c * ReLU(W_e * x + b) : torch.nn.functional.conv2d(x, W_e, b, padding=padding), "
              "puis relu, puis multipliez la carte c par g[c] (donnez à g la forme (n_maps, 1, 1) "
              "pour la diffusion).",
        "fa": "z = g_c * ReLU(W_e * x + b): ابتدا torch.nn.functional.conv2d(x, W_e, b, padding=padding)، "
              "سپس relu، سپس نقشهٔ c را در g[c] ضرب کنید (g را به شکل (n_maps, 1, 1) درآورید تا "
              "پخش شود).",
        "ko": "z = g_c * ReLU(W_e * x + b): torch.nn.functional.conv2d(x, W_e, b, padding=padding), "
              "그다음 relu, 그다음 맵 c에 g[c]를 곱하세요 (브로드캐스트되도록 g를 (n_maps, 1, 1) "
              "모양으로 바꾸세요).",
    },
    "order": {
        "en": "the scale comes after the ReLU, and a scale of 0 switches its map off entirely.",
        "es": "la escala va después de la ReLU, y una escala 0 apaga su mapa por completo.",
        "it": "la scala viene dopo la ReLU, e una scala 0 spegne del tutto la sua mappa.",
        "fr": "l'échelle vient après la ReLU, et une échelle nulle éteint entièrement sa carte.",
        "fa": "ضریب مقیاس بعد از ReLU می‌آید و مقیاس 0 نقشهٔ خود را کاملاً خاموش می‌کند.",
        "ko": "스케일은 ReLU 다음에 곱하며, 스케일이 0이면 그 맵은 완전히 꺼집니다.",
    },
    "groups": {
        "en": "square z, reshape to (batch, n_maps // group_size, group_size, H, W) and sum over "
              "the group axis; then sum over every pool x pool window (avg_pool2d times pool², "
              "or unfold) and take the square root.",
        "es": "eleva z al cuadrado, cambia la forma a (batch, n_maps // group_size, group_size, H, W) "
              "y suma sobre el eje del grupo; luego suma en cada ventana pool x pool (avg_pool2d "
              "por pool², o unfold) y toma la raíz cuadrada.",
        "it": "eleva z al quadrato, porta la forma a (batch, n_maps // group_size, group_size, H, W) "
              "e somma sull'asse del gruppo; poi somma su ogni finestra pool x pool (avg_pool2d per "
              "pool², o unfold) e prendi la radice quadrata.",
        "fr": "élevez z au carré, donnez-lui la forme (batch, n_maps // group_size, group_size, H, W) "
              "et sommez sur l'axe du groupe ; puis sommez sur chaque fenêtre pool x pool "
              "(avg_pool2d fois pool², ou unfold) et prenez la racine carrée.",
        "fa": "z را به توان دو برسانید، به شکل (batch, n_maps // group_size, group_size, H, W) "
              "درآورید و روی محور گروه جمع کنید؛ سپس روی هر پنجرهٔ pool x pool جمع بزنید "
              "(avg_pool2d ضرب در pool²، یا unfold) و ریشهٔ دوم بگیرید.",
        "ko": "z를 제곱하고 (batch, n_maps // group_size, group_size, H, W) 모양으로 바꾼 뒤 "
              "그룹 축으로 더하세요. 그다음 각 pool x pool 창에서 더하고 (avg_pool2d에 pool²를 "
              "곱하거나 unfold) 제곱근을 취하세요.",
    },
    "stride": {
        "en": "windows start every 'stride' positions: with stride 1 they overlap, and the output "
              "has (H - pool) // stride + 1 rows.",
        "es": "las ventanas empiezan cada 'stride' posiciones: con stride 1 se solapan, y la salida "
              "tiene (H - pool) // stride + 1 filas.",
        "it": "le finestre iniziano ogni 'stride' posizioni: con stride 1 si sovrappongono, e "
              "l'uscita ha (H - pool) // stride + 1 righe.",
        "fr": "les fenêtres commencent toutes les 'stride' positions : avec stride 1 elles se "
              "chevauchent, et la sortie a (H - pool) // stride + 1 lignes.",
        "fa": "پنجره‌ها هر 'stride' موقعیت یک بار شروع می‌شوند: با stride 1 هم‌پوشانی دارند و "
              "خروجی (H - pool) // stride + 1 سطر دارد.",
        "ko": "창은 'stride' 위치마다 시작합니다. stride가 1이면 창이 겹치고, 출력의 행 수는 "
              "(H - pool) // stride + 1입니다.",
    },
}


def conv_encoder(x: Tensor, W_e: Tensor, b: Tensor, g: Tensor, padding: int) -> Tensor:
    """Reference: ``g_c · ReLU(W_e * x + b)``, shape ``(batch, n_maps, H_z, W_z)``."""
    return g[:, None, None] * F.relu(F.conv2d(x, W_e, b, padding=padding))


def l2_pool(z: Tensor, group_size: int, pool: int, stride: int) -> Tensor:
    """Reference: ``sqrt(Σ z²)`` over every pool, shape ``(batch, n_maps // group_size, H_p, W_p)``."""
    B, K, H, W = z.shape
    sq = z.pow(2).reshape(B, K // group_size, group_size, H, W).sum(2)   # (B, n_groups, H, W)
    return (F.avg_pool2d(sq, pool, stride) * pool * pool).sqrt()


def check_conv_encoder(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                       quiet: bool = False) -> Report:
    """Compare ``student_fn(x, W_e, b, g, padding)`` with :func:`conv_encoder` on four cases."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(2, 1, 6, 6, generator=gen)
    W, b = torch.randn(4, 1, 3, 3, generator=gen), 0.1 * torch.randn(4, generator=gen)
    g = torch.rand(4, generator=gen) + 0.5
    g_off = g.clone()
    g_off[1] = 0.0                                                        # map 1 switched off
    x3 = torch.randn(3, 2, 7, 5, generator=gen, dtype=torch.float64)      # 2 input channels
    W3 = torch.randn(6, 2, 3, 3, generator=gen, dtype=torch.float64)
    b3, g3 = torch.randn(6, generator=gen, dtype=torch.float64), torch.rand(6, generator=gen, dtype=torch.float64)
    cases = [
        Case("x ∈ ℝ^{2×1×6×6}, 4 maps, k = 3, padding = 0", (x, W, b, g, 0), HINTS["encoder"]),
        Case("x ∈ ℝ^{2×1×6×6}, 4 maps, k = 3, padding = 1", (x, W, b, g, 1), HINTS["encoder"]),
        Case("g_1 = 0", (x, W, b, g_off, 1), HINTS["order"]),
        Case("x ∈ ℝ^{3×2×7×5} (float64), 6 maps, padding = 1", (x3, W3, b3, g3, 1), HINTS["encoder"]),
    ]
    return run_cases("conv_encoder_student", student_fn, conv_encoder, cases,
                     arg_names=("x", "W_e", "b", "g", "padding"), lang=lang, quiet=quiet)


def check_l2_pool(student_fn: Callable, *, lang: Optional[str] = None, seed: int = 0,
                  quiet: bool = False) -> Report:
    """Compare ``student_fn(z, group_size, pool, stride)`` with :func:`l2_pool` on five cases."""
    gen = torch.Generator().manual_seed(seed)
    z = torch.rand(2, 4, 6, 6, generator=gen)
    one = torch.zeros(1, 4, 4, 4)
    one[0, 3, 1, 2] = -2.0                                                # one unit, in group 1
    z64 = torch.randn(3, 6, 7, 5, generator=gen, dtype=torch.float64)
    cases = [
        Case("z ∈ ℝ^{2×4×6×6}, groups of 2, 2×2 pools, stride 2", (z, 2, 2, 2), HINTS["groups"]),
        Case("z ∈ ℝ^{2×4×6×6}, groups of 1, 2×2 pools, stride 2", (z, 1, 2, 2), HINTS["groups"]),
        Case("z ∈ ℝ^{2×4×6×6}, groups of 4, 3×3 pools, stride 1", (z, 4, 3, 1), HINTS["stride"]),
        Case("z_{3,1,2} = −2, groups of 2, 2×2 pools, stride 1", (one, 2, 2, 1), HINTS["stride"]),
        Case("z ∈ ℝ^{3×6×7×5} (float64), groups of 3, 2×2 pools, stride 2", (z64, 3, 2, 2), HINTS["stride"]),
    ]
    return run_cases("l2_pool_student", student_fn, l2_pool, cases,
                     arg_names=("z", "group_size", "pool", "stride"), lang=lang, quiet=quiet,
                     rtol=1e-5, atol=1e-6)
