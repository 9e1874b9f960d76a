from django.urls import path

from coproduce.impact import views

app_name = "impact"

questionnaire = "questionnaires/<int:pk>/"
version = f"{questionnaire}versions/<int:version_pk>/"

urlpatterns = [
    path("", views.impact_dashboard, name="dashboard"),
    path("annual-report/", views.annual_report, name="annual"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path(questionnaire, views.questionnaire_detail, name="questionnaire"),
    path(f"{questionnaire}edit/", views.questionnaire_edit, name="edit"),
    path(f"{questionnaire}send/", views.questionnaire_send, name="send"),
    path(version, views.version_detail, name="version"),
    path(f"{version}publish/", views.version_publish, name="publish"),
    path(f"{version}questions/add/", views.question_add, name="question_add"),
    path(f"{version}questions/<int:question_pk>/", views.question_change, name="question"),
    path("self-assessment/", views.assessment_list, name="assessments"),
    path("self-assessment/new/", views.assessment_create, name="assessment_new"),
    path("self-assessment/<int:pk>/", views.assessment_detail, name="assessment"),
]
