"""The questionnaires every organisation starts with, and the words of the self-assessment.

All wording is Coproduce's own. Each question is only *mapped* to a PPEET principle and to one of
the three personal-impact themes, so results can be read against those frameworks. Organisations
change the wording by publishing a new version; these defaults are never edited in place.
"""

from dataclasses import dataclass, field

from coproduce.impact.models import Audience, Principle, Question, Standard, Theme

L, C, F = Question.Kind.LIKERT, Question.Kind.CHOICE, Question.Kind.FREE_TEXT
P, T = Principle, Theme


@dataclass(frozen=True)
class DefaultQuestion:
    key: str
    kind: str
    text: str
    principle: str = ""
    theme: str = ""
    negative: bool = False
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class DefaultQuestionnaire:
    audience: str
    title: str
    introduction: str
    questions: list[DefaultQuestion] = field(default_factory=list)


AGAIN = ("Yes", "Maybe", "No")
REASONS = (
    "To make services better for other people",
    "To give something back",
    "So that others do not go through what I did",
    "It helps me live with cancer",
    "Something else",
)
STAFF_REASONS = (
    "I believe it makes our services better",
    "It is part of my job",
    "I was asked to",
    "Something else",
)
PRIVATE = "Your answers are not linked to your name. Results are only shown for groups of people."

QUESTIONNAIRES = [
    DefaultQuestionnaire(
        Audience.AFTER_ACTIVITY,
        "How was it to take part?",
        f"A few questions about the activity you took part in. {PRIVATE}",
        [
            DefaultQuestion(
                "why-asked",
                L,
                "I understood why I was asked and what my part was.",
                P.INTEGRITY,
                T.MOTIVATIONS,
            ),
            DefaultQuestion(
                "had-what-needed",
                L,
                "I had what I needed to take part, such as papers in good time, "
                "travel and any support.",
                P.INTEGRITY,
            ),
            DefaultQuestion(
                "listened-to",
                L,
                "People listened to what I said and took it seriously.",
                P.CULTURE,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "could-disagree",
                L,
                "I could say what I thought, even when it was not what staff thought.",
                P.CULTURE,
            ),
            DefaultQuestion(
                "will-make-difference",
                L,
                "I expect what we said to make a difference to the service.",
                P.INFLUENCE,
                T.MOTIVATIONS,
            ),
            DefaultQuestion(
                "worked-as-equals",
                L,
                "Patients, carers and staff worked together as equals.",
                P.COLLABORATION,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "left-worse-off",
                L,
                "Taking part left me tired, upset or out of pocket.",
                P.INTEGRITY,
                T.CHALLENGES,
                negative=True,
            ),
            DefaultQuestion(
                "again",
                C,
                "Would you take part in something like this again?",
                theme=T.MOTIVATIONS,
                choices=AGAIN,
            ),
            DefaultQuestion(
                "better",
                F,
                "What would have made taking part better for you?",
                theme=T.CHALLENGES,
                required=False,
            ),
        ],
    ),
    DefaultQuestionnaire(
        Audience.MEMBERS,
        "Being part of the group",
        f"We ask every few months how being in the group is going for you. {PRIVATE}",
        [
            DefaultQuestion(
                "group-purpose",
                L,
                "I know what our group is for and what it is trying to change.",
                P.INTEGRITY,
                T.MOTIVATIONS,
            ),
            DefaultQuestion(
                "heard-back",
                L,
                "In the last few months I heard what our group's views changed.",
                P.INFLUENCE,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "changed-decisions",
                L,
                "Our group's views have changed decisions about services.",
                P.INFLUENCE,
            ),
            DefaultQuestion(
                "confidence",
                L,
                "Being in the group has given me confidence or knowledge I did not have before.",
                P.CULTURE,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "valued",
                L,
                "Staff value what I know from my own experience.",
                P.CULTURE,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "support",
                L,
                "I have found support from others in the group.",
                P.COLLABORATION,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "hard-to-share",
                L,
                "Talking about my own health or care in the group has been hard.",
                P.INTEGRITY,
                T.CHALLENGES,
                negative=True,
            ),
            DefaultQuestion(
                "too-much",
                L,
                "The time or travel the group asks of me is too much.",
                P.INTEGRITY,
                T.CHALLENGES,
                negative=True,
            ),
            DefaultQuestion(
                "role-unclear",
                L,
                "I am not sure what is expected of me.",
                P.INTEGRITY,
                T.CHALLENGES,
                negative=True,
            ),
            DefaultQuestion(
                "main-reason",
                C,
                "What is the main reason you stay involved?",
                theme=T.MOTIVATIONS,
                choices=REASONS,
            ),
            DefaultQuestion(
                "what-changed-for-you",
                F,
                "What has changed for you since you joined the group?",
                theme=T.POSITIVES,
                required=False,
            ),
            DefaultQuestion(
                "make-better",
                F,
                "What would make being in the group better?",
                theme=T.CHALLENGES,
                required=False,
            ),
        ],
    ),
    DefaultQuestionnaire(
        Audience.STAFF,
        "Why you take part",
        f"For staff who work with patients, carers and the public on our services. {PRIVATE}",
        [
            DefaultQuestion(
                "why-staff",
                C,
                "Why do you take part in involvement work?",
                theme=T.MOTIVATIONS,
                choices=STAFF_REASONS,
            ),
            DefaultQuestion(
                "changed-my-thinking",
                L,
                "Patients and carers have changed how I think about my service.",
                P.INFLUENCE,
                T.POSITIVES,
            ),
            DefaultQuestion(
                "acts-on-it",
                L,
                "My organisation acts on what patients and carers tell us.",
                P.INFLUENCE,
            ),
            DefaultQuestion(
                "resourced",
                L,
                "I have the time and budget to involve people properly.",
                P.INTEGRITY,
            ),
            DefaultQuestion(
                "partners",
                L,
                "Patients and staff share decisions as partners in my work.",
                P.COLLABORATION,
            ),
            DefaultQuestion(
                "colleagues-value",
                L,
                "My colleagues value what patients and carers bring.",
                P.CULTURE,
            ),
            DefaultQuestion(
                "slows-down",
                L,
                "Involving people slows my work more than it helps it.",
                P.CULTURE,
                T.CHALLENGES,
                negative=True,
            ),
            DefaultQuestion(
                "one-change",
                F,
                "What is one thing involvement changed in your work this year?",
                P.INFLUENCE,
                T.POSITIVES,
                required=False,
            ),
            DefaultQuestion(
                "in-the-way", F, "What gets in the way?", theme=T.CHALLENGES, required=False
            ),
        ],
    ),
]

LIKERT = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

# What each standard asks of an organisation, in Coproduce's words, as the form's hint.
STANDARDS = {
    Standard.INCLUSIVE_OPPORTUNITIES: "Anyone affected can find a way in, whatever their "
    "background, health or means, and we reach out to those we seldom hear from.",
    Standard.WORKING_TOGETHER: "People and staff work on shared aims, with roles agreed "
    "between them and everyone's knowledge valued.",
    Standard.SUPPORT_AND_LEARNING: "People get the support, payment and learning they need to "
    "take part, and staff learn how to involve people well.",
    Standard.COMMUNICATIONS: "We use plain words and the formats people need, and tell "
    "people what happened as a result of their time.",
    Standard.IMPACT: "We record what involvement changed, for services and for the people "
    "involved, and use it to improve.",
    Standard.GOVERNANCE: "People have a say in how involvement is run, and leaders are "
    "answerable for it.",
}

# The Cube's four dimensions: the model field, the question, and its two ends (1 and 5).
CUBE = (
    ("voice", "How strong is the voice of patients and the public?", "Weak", "Strong"),
    ("ways", "How many ways are there to be involved?", "Few", "Many"),
    (
        "concerns",
        "Whose concerns does the work address?",
        "The organisation's",
        "The public's",
    ),
    (
        "willingness",
        "How willing is the organisation to change?",
        "Unwilling",
        "Willing",
    ),
)
