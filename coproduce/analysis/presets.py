"""Ready-made codebooks a lead analyst can add to a project in one step.

Three frameworks the people who use Coproduce already report against:

- NHS England's patient-experience framework (version 7), which sorts free-text feedback into ten
  categories and 32 sub-categories: each category becomes a code, its sub-categories the codes
  inside it;
- the three themes of what involvement means for the people who give their time (the same
  themes the impact questionnaires are mapped to);
- the six themes under which co-design of a care pathway is planned and reviewed.

The names of the categories and themes come from those frameworks. Every description here is
Coproduce's own wording, written to help a coder decide whether a passage belongs, and is marked
as such on the code so nobody mistakes it for the framework's published text. Nothing here
touches the database: `services.codebook.add_preset` adds what a project does not have yet.
"""

from dataclasses import dataclass, field

# Added to the end of every preset description, so the wording is never taken for the source's.
OWN_WORDS = "(Description written by Coproduce, not taken from the framework.)"


@dataclass(frozen=True)
class PresetCode:
    name: str
    description: str
    colour: str | None = None  # children without a colour take their parent's
    children: tuple["PresetCode", ...] = field(default_factory=tuple)

    @property
    def full_description(self) -> str:
        return f"{self.description}\n\n{OWN_WORDS}"


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    summary: str
    codes: tuple[PresetCode, ...]

    def count(self) -> int:
        def size(codes: tuple[PresetCode, ...]) -> int:
            return sum(1 + size(code.children) for code in codes)

        return size(self.codes)


C = PresetCode

NHS_PATIENT_EXPERIENCE = Preset(
    key="nhs-patient-experience",
    name="NHS patient-experience framework (version 7)",
    summary=(
        "NHS England's ten categories for free-text patient feedback, each with its "
        "sub-categories (32 in all), for sorting Friends and Family Test and survey comments."
    ),
    codes=(
        C(
            "General",
            "Comments about the service as a whole rather than one part of it.",
            "#005eb8",
            (
                C(
                    "Positive experience and gratitude",
                    "Thanks, praise or a good experience described in general terms, without "
                    "saying which part of care made it good.",
                ),
                C(
                    "Organisation and efficiency",
                    "How smoothly the service runs: being well organised, things happening "
                    "when they should, or the lack of it.",
                ),
                C(
                    "Funding and use of financial resources",
                    "Views on how much money the service has and how it is spent, including "
                    "comments that it needs more.",
                ),
                C(
                    "Feeling safe",
                    "Whether the person felt safe, or at risk, while using the service.",
                ),
                C(
                    "Labelling not possible",
                    "Comments that cannot be placed in any category: too short, unclear or "
                    "not about the service.",
                ),
            ),
        ),
        C(
            "Staff",
            "Comments about the people who provide care and how they behave.",
            "#007f3b",
            (
                C(
                    "Manner and personal attributes",
                    "How staff come across: kind, respectful, rude, patient, caring.",
                ),
                C(
                    "Competence and training",
                    "Whether staff seemed skilled and knew what they were doing.",
                ),
                C(
                    "Staffing levels and responsiveness",
                    "Whether there were enough staff, and how quickly they came or answered "
                    "when needed.",
                ),
            ),
        ),
        C(
            "Access to medical care and support",
            "Comments about getting care: reaching the service, getting an appointment and "
            "being seen.",
            "#330072",
            (
                C(
                    "Contacting services",
                    "Getting through to the service by phone, online or in person.",
                ),
                C(
                    "Appointment arrangements",
                    "Booking, changing or cancelling appointments, and how convenient the "
                    "times offered were.",
                ),
                C(
                    "Appointment method",
                    "How the appointment took place: face to face, by phone or by video, and "
                    "views on that choice.",
                ),
                C(
                    "Timeliness of care",
                    "Waiting: for an appointment, a test, results or treatment, or on the day.",
                ),
            ),
        ),
        C(
            "Communication and involvement",
            "Comments about how the service talks with people and involves them in their care.",
            "#ae2573",
            (
                C(
                    "Unspecified communication",
                    "Communication described in general terms, without saying which kind.",
                ),
                C(
                    "Listening, understanding and involving patients",
                    "Whether the person felt heard and understood, and had a say in decisions "
                    "about their care.",
                ),
                C(
                    "Information directly from staff during care",
                    "What staff explained face to face while giving care: what is happening "
                    "and why.",
                ),
                C(
                    "Information provision and guidance",
                    "Leaflets, letters, websites and advice given to take away, and whether "
                    "they helped.",
                ),
                C(
                    "Being kept informed, clarity and consistency",
                    "Being told what is going on, in clear words, with the same story from "
                    "everyone.",
                ),
                C(
                    "Interaction with family and carers",
                    "How the service treated, informed and included the person's family, "
                    "friends or carers.",
                ),
            ),
        ),
        C(
            "Mental health specifics",
            "Comments that only arise in mental health services.",
            "#8a1538",
            (
                C(
                    "Mental Health Act",
                    "Experience of being detained or treated under the Mental Health Act, "
                    "including rights and leave.",
                ),
            ),
        ),
        C(
            "Patient journey and service coordination",
            "Comments about moving between services and how well the parts of care fit together.",
            "#00a499",
            (
                C(
                    "Continuity of care",
                    "Seeing the same people, and services sharing what they know so the person "
                    "does not have to repeat themselves.",
                ),
                C(
                    "Discharge",
                    "Leaving hospital or a service: timing, planning and the support arranged "
                    "afterwards.",
                ),
            ),
        ),
        C(
            "Medication and pain",
            "Comments about medicines and the control of pain.",
            "#ed8b00",
            (
                C(
                    "Supplying and understanding medication",
                    "Getting medicines on time, and understanding what they are for and how "
                    "to take them.",
                ),
                C(
                    "Pain management",
                    "Whether pain was noticed, taken seriously and eased.",
                ),
            ),
        ),
        C(
            "Activities",
            "Comments about how time is spent during a stay or visit.",
            "#78be20",
            (
                C(
                    "Activities and access to fresh air",
                    "Things to do, and being able to get outside.",
                ),
                C(
                    "Electronic entertainment",
                    "Television, radio, wifi and the use of phones or tablets.",
                ),
            ),
        ),
        C(
            "Environment, equipment and catering",
            "Comments about the places where care happens and what is provided there.",
            "#425563",
            (
                C(
                    "Cleanliness, tidiness and infection control",
                    "How clean and tidy places were, and hand washing and other steps against "
                    "infection.",
                ),
                C(
                    "Sensory experience",
                    "Noise, light, temperature and smells, and their effect on rest and comfort.",
                ),
                C(
                    "Environment, facilities and equipment",
                    "Buildings, rooms, toilets, seating, signs and equipment, and whether they "
                    "worked and suited the person.",
                ),
                C(
                    "Food and drink",
                    "Meals and drinks: quality, choice, temperature, and help with eating.",
                ),
            ),
        ),
        C(
            "Service location, travel and transport",
            "Comments about where the service is and getting there.",
            "#003087",
            (
                C(
                    "Service location",
                    "Where the service is, and how near or far it is for the person.",
                ),
                C(
                    "Transport to and from services",
                    "Public transport, hospital transport and lifts to and from appointments.",
                ),
                C(
                    "Parking",
                    "Finding a parking space, its cost and its distance from the entrance.",
                ),
            ),
        ),
    ),
)

PERSONAL_IMPACT = Preset(
    key="personal-impact",
    name="Personal impact of involvement (three themes)",
    summary=(
        "What taking part means for patients and carers who give their time: why they come, "
        "what they gain and what makes it hard."
    ),
    codes=(
        C(
            "Motivations and expectations",
            "Why people get involved and what they hope for: improving services, giving "
            "something back, putting right a poor experience, a way of living with cancer, "
            "and whether the group's purpose is clear to them.",
            "#005eb8",
        ),
        C(
            "Positive aspects",
            "What people gain from taking part: support, confidence, knowledge, living well "
            "with cancer, being listened to and meeting others.",
            "#007f3b",
        ),
        C(
            "Challenges",
            "What makes involvement hard or costly: staff who are insensitive or do not value "
            "it, tiredness, money, roles that are unclear, the emotional cost of telling one's "
            "own story, and disappointment when nothing changes.",
            "#d5281b",
        ),
    ),
)

CO_DESIGN = Preset(
    key="co-design",
    name="Co-design of a care pathway (six themes)",
    summary=(
        "Six themes for planning and reviewing co-design of a care pathway with patients, "
        "carers, commissioners and providers."
    ),
    codes=(
        C(
            "Responsibilities and expectations",
            "Who does what, what each person or organisation expects from the work, and "
            "whether roles were agreed and kept to.",
            "#005eb8",
        ),
        C(
            "Knowledge and understanding",
            "What people knew or needed to learn to take part on equal terms, including "
            "explaining jargon, systems and constraints.",
            "#330072",
        ),
        C(
            "Perspectives (valuing patient input)",
            "Whether patients' and carers' experience was treated as expertise and given "
            "weight alongside professional views.",
            "#ae2573",
        ),
        C(
            "Building relationships",
            "Trust, openness and mutual respect between patients and professionals, and how "
            "they were built or lost over time.",
            "#00a499",
        ),
        C(
            "The environment for co-design",
            "The practical and cultural setting: time, money, venues, support, meeting "
            "arrangements and an atmosphere in which everyone can speak.",
            "#ed8b00",
        ),
        C(
            "Impact and effectiveness",
            "What the co-design changed in the pathway or in the people involved, and how "
            "that was shown and fed back.",
            "#007f3b",
        ),
    ),
)

PRESETS: dict[str, Preset] = {
    preset.key: preset for preset in (NHS_PATIENT_EXPERIENCE, PERSONAL_IMPACT, CO_DESIGN)
}
