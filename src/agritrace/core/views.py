"""UI base views: every page reads through ``restrict``; views built on them stay declarative.

Out of scope is 404; in scope but not allowed for the role is 403 — the same as the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from agritrace.core import scoping
from agritrace.core.exports import xlsx_bytes, xlsx_response
from agritrace.core.tables import Col


class ScopedMixin(LoginRequiredMixin):
    """Reads ``model`` through ``restrict(user, 'view')`` and checks the role's grant."""

    model: type[models.Model]
    scope_action = "view"
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scoping.may(
            request.user, self.model, self.scope_action
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return self.model.objects.restrict(self.request.user, "view")  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["opts"] = self.model._meta
        context["can_add"] = scoping.may(self.request.user, self.model, "add")
        return context


class ScopedListView(ScopedMixin, FilterView):
    """A filtered, paginated table; ``?export=xlsx`` downloads the same rows."""

    columns: tuple[Col, ...] = ()
    paginate_by = 50
    template_name = "core/list.html"

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if self.request.GET.get("export") == "xlsx":
            name = str(self.model._meta.verbose_name_plural)
            rows = self.object_list.iterator(chunk_size=2000)
            content = xlsx_bytes(name, [(str(c.title), c.value) for c in self.columns], rows)
            return xlsx_response(slugify(self.model._meta.model_name) or "export", content)
        return super().render_to_response(context, **kwargs)

    #: The page that adds one (default ``<app>:<model>_add`` when it exists).
    add_url_name: str | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = self.columns
        meta = self.model._meta
        try:
            context["add_url"] = reverse(
                self.add_url_name or f"{meta.app_label}:{meta.model_name}_add"
            )
        except NoReverseMatch:
            context["add_url"] = None
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    """One object; 404 when out of scope."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = scoping.in_scope(self.request.user, self.object, "change")
        context["can_delete"] = scoping.in_scope(self.request.user, self.object, "delete")
        return context


class ScopedWriteMixin(ScopedMixin):
    """Saves inside a transaction and re-checks scope: out-of-scope results roll back with an
    error on the field that placed the object there."""

    template_name = "core/form.html"

    def creation_defaults(self) -> dict[str, Any]:
        """Values set on new objects from the user (e.g. a producer user's own producer)."""
        return scoping.creation_defaults(self.request.user, self.model)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: BaseForm) -> HttpResponse:
        """A ValidationError from the rules a form's ``save`` runs becomes the form's errors,
        with nothing saved."""
        try:
            with transaction.atomic():
                response = super().form_valid(form)  # type: ignore[misc]
                if not scoping.in_scope(self.request.user, self.object, self.scope_action):
                    transaction.set_rollback(True)
                    field = scoping.rules_for(self.model).field_for_errors()
                    form.add_error(
                        field if field in form.fields else None, _("不在您的管辖范围内。")
                    )
                    return self.form_invalid(form)  # type: ignore[attr-defined]
        except ValidationError as error:
            form._update_errors(error)  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("已保存。"))
        return response


class ScopedCreateView(ScopedWriteMixin, CreateView):
    """Create; 403 when the role may not add this model."""

    scope_action = "add"

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), **self.request.GET.dict()}

    def get_success_url(self) -> str:
        """Back to ``?next=`` (a page of this site, e.g. the batch whose guided flow opened the
        form), else the new object's page."""
        back = self.request.GET.get("next", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return back
        return super().get_success_url()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(**self.creation_defaults())
        return kwargs


class ScopedUpdateView(ScopedWriteMixin, UpdateView):
    """Edit; 404 out of scope, 403 when in scope but not allowed."""

    scope_action = "change"

    def get_object(self, queryset: Any = None) -> Any:
        obj = super().get_object(queryset)
        if not scoping.in_scope(self.request.user, obj, self.scope_action):
            raise PermissionDenied
        return obj


class ScopedDeleteView(ScopedMixin, DeleteView):
    """Delete after confirmation; 404 out of scope, 403 when not allowed."""

    scope_action = "delete"
    template_name = "core/confirm_delete.html"

    def get_object(self, queryset: Any = None) -> Any:
        obj = super().get_object(queryset)
        if not scoping.in_scope(self.request.user, obj, self.scope_action):
            raise PermissionDenied
        return obj

    def get_success_url(self) -> str:
        return reverse(f"{self.model._meta.app_label}:{self.model._meta.model_name}_list")

    def form_valid(self, form: BaseForm) -> HttpResponseRedirect:
        try:
            response = super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("仍有其他记录引用该对象，不能删除。"))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("已删除。"))
        return response


def labelled_errors(form: BaseForm) -> list[str]:
    """A form's errors as messages that name their field ("处理意见：…"), for pages that show
    them as messages rather than beside the fields."""
    return [
        _("%(field)s：%(error)s") % {"field": form.fields[name].label, "error": error}
        if name in form.fields
        else error
        for name, errors in form.errors.items()
        for error in errors
    ]


class ScopedActionView(ScopedMixin, View):
    """One thing done to one object (split a batch, review a producer, void a roll…): the
    page twin of the API's ``@action(detail=True, scope_action=…)``.

    Declare ``model``, ``scope_action``, ``form_class`` (optional; the POST it validates) and
    ``act``, which calls the rule's service with the object and the cleaned data and returns
    the success message. The base does the rest, the same way for every action: the object is
    read through ``restrict`` (404 out of scope); the role's grant and the object's scope for
    ``scope_action`` are checked (403); the form is validated; ``act`` runs in a transaction,
    and a ``ValidationError`` from the form or the service rolls it back and shows each of its
    messages; then back to the object's page.
    """

    scope_action = "change"
    form_class: type[BaseForm] | None = None
    #: The level of the success message (``messages.INFO`` for a result that is not a change).
    message_level = messages.SUCCESS
    http_method_names = ["post"]

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        """Call the service on ``obj`` with the form's cleaned ``data``; the success message."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if self.scope_action != "view" and not scoping.in_scope(
            request.user, obj, self.scope_action
        ):
            raise PermissionDenied
        form = self.form_class(request.POST) if self.form_class else None
        try:
            if form is not None and not form.is_valid():
                raise ValidationError(labelled_errors(form))
            with transaction.atomic():
                text = self.act(obj, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.add_message(request, self.message_level, text)
        return redirect(obj)


class CrudViews:
    """The five pages of a scoped model declared in one class: model, form, filter, columns.

    ``urls(prefix)`` builds list/add/detail/edit/delete views on the scoped base classes above.
    """

    model: type[models.Model]
    form_class: type[BaseForm] | None
    #: The edit page's form when it differs from the add page's (e.g. no password on edit).
    edit_form_class: type[BaseForm] | None = None
    filterset_class: type
    columns: tuple[Col, ...] = ()
    related: tuple[str, ...] = ()
    detail_template = "core/detail.html"
    #: The pages that exist: records the rules keep (certificates, print jobs…) have no edit or
    #: delete page; they change only through their own actions.
    pages: tuple[str, ...] = ("list", "add", "detail", "edit", "delete")
    #: The page that adds one when it is not the ``add`` page (e.g. the market-check page).
    add_url_name: str | None = None

    @staticmethod
    def detail_context(obj: Any) -> dict[str, Any]:
        """Extra context of the detail page."""
        return {}

    @staticmethod
    def viewer_context(obj: Any, user: Any) -> dict[str, Any]:
        """Extra context of the detail page that depends on who looks (e.g. may they review)."""
        return {}

    @classmethod
    def urls(cls, prefix: str) -> list[Any]:
        """URL patterns named ``<model>_list``, ``_add``, ``_detail``, ``_edit``, ``_delete``."""
        from agritrace.core.urls import crud

        spec = cls
        name = cls.model.__name__

        class List(ScopedListView):
            model = spec.model
            add_url_name = spec.add_url_name
            filterset_class = spec.filterset_class
            columns = spec.columns

            def get_queryset(self) -> Any:
                return super().get_queryset().select_related(*spec.related)

        class Detail(ScopedDetailView):
            model = spec.model
            template_name = spec.detail_template

            def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
                context = (
                    super().get_context_data(**kwargs)
                    | spec.detail_context(self.object)
                    | spec.viewer_context(self.object, self.request.user)
                )
                context["can_change"] &= "edit" in spec.pages
                context["can_delete"] &= "delete" in spec.pages
                return context

        class Create(ScopedCreateView):
            model = spec.model
            form_class = spec.form_class

        class Update(ScopedUpdateView):
            model = spec.model
            form_class = spec.edit_form_class or spec.form_class

        class Delete(ScopedDeleteView):
            model = spec.model

        for view in (List, Detail, Create, Update, Delete):
            view.__name__ = view.__qualname__ = f"{name}{view.__name__}"
        views = {"list": List, "add": Create, "detail": Detail, "edit": Update, "delete": Delete}
        return crud(prefix, cls.model._meta.model_name, {p: views[p] for p in cls.pages})
