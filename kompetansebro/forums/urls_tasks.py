"""Follow-up tasks: a forum's list, create (optionally ?case=<pk>), edit, mark done; a person's overdue tasks."""

from django.urls import path

from kompetansebro.forums.views import tasks as views

urlpatterns = [
    path("oppfolging/forfalte/", views.tasks_overdue, name="tasks_overdue"),
    path("<slug:slug>/oppfolging/", views.task_list, name="tasks"),
    path("<slug:slug>/oppfolging/ny/", views.task_create, name="task_create"),
    path("<slug:slug>/oppfolging/<int:pk>/endre/", views.task_edit, name="task_edit"),
    path("<slug:slug>/oppfolging/<int:pk>/utfort/", views.task_done, name="task_done"),
]
