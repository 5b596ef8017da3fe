"""The home (工作台) of each signed-in user: producers get their next actions and what needs
attention, regulators their region's key counts and today's items."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from agritrace.dashboard import services
from agritrace.dashboard.menu import actions_for


class Home(LoginRequiredMixin, TemplateView):
    """``/workspace/``: the producer's or the regulator's home, by the user's membership."""

    def get_template_names(self) -> list[str]:
        if self.request.user.producer_id:
            return ["dashboard/producer_home.html"]
        return ["dashboard/regulator_home.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        context = super().get_context_data(**kwargs)
        if user.producer_id:
            return context | {
                "producer": user.producer,
                "actions": actions_for(user),
                "attention": services.producer_attention(user),
                "batches": services.latest_batches(user),
            }
        return context | {
            "region": user.scope_region,
            "figures": services.regulator_figures(user),
            "today": services.regulator_today(user),
        }
