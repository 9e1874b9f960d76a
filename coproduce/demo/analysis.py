"""Two analysis projects for the demo: focus groups about why people stay involved, coded by two
people who partly agree, and a smaller project still coded blind.

The first project's five focus-group transcripts are pasted in with pseudonymisation on (each
mentions a few names, a phone number or a postcode), reviewed and released, as a lead analyst
would do it. A survey of involved people ("what keeps you involved, and what would make it
better?") arrives as a dataset of a few hundred responses with the date and the group each came
from. The lead analyst and a second coder code both; they agree on much, draw the edges of a
passage differently, and now and then choose different codes or notice different things. The lead
has opened the comparison, agreed where both coders agreed on three of the transcripts and settled
a few differences, so the agreement figures and the consensus layer have something in them.

The second project, about members who stepped back, is still blind: each coder sees only their
own coding.

Everything goes through the services (this is the work of the demo's analyst, and the audit log
shows it), except the survey's rows, which are written as its import would write them, to keep the
demo quick to load. Transcripts and comments are fictional and written for the demo.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis.models import (
    Attribute,
    Code,
    Dataset,
    Import,
    Layer,
    Project,
    Replacement,
    Segment,
    Sentiment,
    Source,
    Suggester,
    Suggestion,
)
from coproduce.analysis.services import (
    batches,
    codebook,
    coding,
    projects,
    sources,
    suggestions,
    themes,
)
from coproduce.organisations.models import Organisation

LEAD_USERNAME = "analyst"
CODER_USERNAME = "staff"
VIEWER_USERNAME = "lead"
PROJECT_NAME = "Why people stay involved"
BLIND_PROJECT_NAME = "Members who stepped back"
SURVEY_NAME = "Involvement survey: what keeps you involved"
SURVEY_RESPONSES = 400
# Differences the lead has settled in the first focus group; the rest are left to do.
DECISIONS = 10


# The codebook -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCode:
    key: str
    name: str
    description: str
    inclusion: str = ""
    exclusion: str = ""
    colour: str = ""


CODEBOOK: list[tuple[DemoCode, list[DemoCode]]] = [
    (
        DemoCode(
            "motivations",
            "Motivations and expectations",
            "Why people first took part and what they hoped would come of it.",
            colour="#005eb8",
        ),
        [
            DemoCode(
                "give-back",
                "Giving something back",
                "Taking part as thanks for care received, or to turn a hard time into something "
                "useful.",
                inclusion="The person says they wanted to repay, be useful or make something good "
                "come out of their illness or loss.",
                exclusion="Wanting to spare others the same experience: use Making it better for "
                "the next person.",
            ),
            DemoCode(
                "next-person",
                "Making it better for the next person",
                "Taking part so that others do not go through what the person or their family "
                "went through.",
            ),
            DemoCode(
                "own-experience",
                "Putting my experience to use",
                "Bringing knowledge from their own care, their work or their community.",
            ),
            DemoCode(
                "expectations",
                "What people expected",
                "What people hoped for or feared before they started, and whether it matched.",
                inclusion="Hopes and fears about taking part, including expecting to be ignored.",
            ),
        ],
    ),
    (
        DemoCode(
            "positives",
            "Positive aspects",
            "What people value about being involved, for themselves and for services.",
            colour="#007f3b",
        ),
        [
            DemoCode(
                "heard",
                "Feeling heard and valued",
                "Being listened to, respected and treated as someone who knows things.",
            ),
            DemoCode(
                "change",
                "Seeing things change",
                "A change to a service, a letter or a decision that people can trace back to "
                "what they said.",
                exclusion="Asking to be told what changed: use Not hearing back.",
            ),
            DemoCode(
                "peers",
                "Friendship and peer support",
                "Company, friendship and understanding from others in the group.",
            ),
            DemoCode(
                "confidence",
                "Confidence and new skills",
                "Growing more confident, learning how the NHS works, new skills and opportunities.",
            ),
        ],
    ),
    (
        DemoCode(
            "challenges",
            "Challenges",
            "What makes it hard to take part or to keep going.",
            colour="#d5281b",
        ),
        [
            DemoCode(
                "money",
                "Money, expenses and benefits",
                "Costs of taking part, slow expenses, and worries about payments affecting "
                "benefits.",
            ),
            DemoCode(
                "energy",
                "Health and energy",
                "Illness, treatment and tiredness getting in the way.",
            ),
            DemoCode(
                "life",
                "Fitting it around life",
                "Work, caring and other commitments; meeting times that suit only some people.",
            ),
            DemoCode(
                "travel",
                "Getting there",
                "Distance, buses, parking and the places meetings are held.",
            ),
            DemoCode(
                "jargon",
                "Jargon, papers and induction",
                "Acronyms, long or late papers, and not being told how things work.",
            ),
            DemoCode(
                "no-news",
                "Not hearing back",
                "Giving views and never finding out what happened to them.",
            ),
            DemoCode(
                "token",
                "Token involvement",
                "Being asked too late, for show, or about things that do not matter.",
                exclusion="Slow progress on its own, without a sense of being used: use Not "
                "hearing back.",
            ),
        ],
    ),
]

BLIND_CODEBOOK: list[tuple[DemoCode, list[DemoCode]]] = [
    (
        DemoCode(
            "why-stopped",
            "Why people stepped back",
            "The reasons people give for leaving a group.",
            colour="#d5281b",
        ),
        [
            DemoCode("ill-health", "Their own health", "Illness or treatment made it too much."),
            DemoCode(
                "no-change", "Nothing changing", "A sense that the group was not getting anywhere."
            ),
            DemoCode(
                "benefits",
                "Worries about benefits",
                "Payments for their time putting benefits at risk.",
            ),
        ],
    ),
    (
        DemoCode(
            "what-kept",
            "What kept them and what would bring them back",
            "What people valued while they took part, and what would let them return.",
            colour="#007f3b",
        ),
        [
            DemoCode("valued", "What they valued", "What was good about taking part."),
            DemoCode(
                "other-ways",
                "Other ways to take part",
                "Taking part from home, by email or a little at a time.",
            ),
            DemoCode(
                "evidence", "Evidence it mattered", "Being shown what changed because of them."
            ),
        ],
    ),
]


# The transcripts ----------------------------------------------------------------------------
# Fictional. Each names a few people and gives a phone number or a postcode, as people do when
# they talk, so that pseudonymisation has something to replace before the lead releases them.

FOCUS_GROUP_1 = """\
Facilitator: Thank you all for coming in on a wet Tuesday. As I said in the invitation, we want to understand why people stay involved with the alliance, and what gets in the way. There are no right answers. I will call you by your numbers in the notes, so please do not worry about names. Could we start with how you first got involved?
P1: Mine was a leaflet on the wall in the chemotherapy unit. I had a lot of time sitting in that chair, and I read everything on the walls twice over. It said they wanted people who had been through treatment to help shape services. I thought, well, I have been through it, so I might as well be useful.
P2: I was asked by my specialist nurse, Sandra Hughes. She rang me at home on 07700 900461 about six months after I finished radiotherapy and said she thought I would be good at it. I nearly said no. I did not think I had anything to offer apart from complaining.
Facilitator: What changed your mind?
P2: Honestly, I wanted something good to come out of a horrible year. I had a rough time with the scheduling, appointments moved three times, and I thought if I could stop that happening to somebody else then it was worth a couple of afternoons a month.
P3: I came with my husband originally. He was the patient and I was the one who did the phoning and the chasing. After he died I kept coming, because the group had become part of my week and because carers get forgotten. Somebody has to say what it is like on the other side of the bed.
P4: For me it was my own experience. I worked in logistics for thirty years and I could see where the system was dropping things. I wanted to put that to use rather than just moan about it in the car park.
Facilitator: And when you joined, what did you expect would happen?
P4: I expected to be listened to, I suppose. I expected that if we said something was not working, someone would at least explain why it could not change.
P5: I expected it to be a tick-box exercise, if I am honest. I have sat on committees before where the decision was made before anyone asked the patients. I was pleasantly surprised here, mostly.
Facilitator: Mostly?
P5: There are still meetings where the paper is finished and we are asked to comment on the font. That is not involvement, that is proofreading. But the pathway work last year was different. We were in the room when they drew the map of the pathway, and they changed it because of what we said.
P1: That was the best thing I have done with the group. When the new letter for first appointments came out, it had our wording in it. My neighbour got one and showed it to me without knowing I had anything to do with it. I was so proud I nearly cried.
P3: That is what keeps me coming. You do not always see it, but when you do, you feel it was worth it.
Facilitator: What else keeps you involved?
P2: The people. I have made friends here. A few of us go to the café afterwards, and we talk about all sorts, not just cancer. When I was having a bad week waiting for my scan results, it was Margaret who rang me.
P3: We look after each other. Nobody else quite understands.
P4: I have learned a lot too. I can read a board paper now and know which bits matter. Two years ago I would not have known what a commissioner was. I asked a question at the alliance board in March, in front of forty people, and my voice did not even shake.
Facilitator: Let's talk about what makes it harder. What gets in the way?
P1: Energy. Some days I am wiped out. Fatigue does not read the meeting calendar. When the meetings were all in the mornings I missed a lot, because mornings are when I am worst.
P2: Money is the one nobody likes to talk about. The parking at the hospital is eight pounds for the afternoon. You get it back, but it takes six or seven weeks, and in the meantime that is my electric.
P5: And the forms for claiming are a nightmare. I had a claim sent back because I had used the wrong version of the form. There was nothing wrong with what I was claiming.
P4: I worry about the payments and my benefits as well. Nobody could tell me for sure whether being paid for my time would affect my Employment and Support Allowance, so I said no to the payment. That should not be the choice people have to make.
P3: The other thing is not hearing back. We spent a whole meeting on the discharge checklist last spring. I still do not know what happened to it. Did they use it? Did they bin it? If you never hear, you stop believing it matters.
P5: The jargon does not help. Half the papers are written for managers. Acronyms everywhere. The first time I came, I wrote down eleven I did not know.
Facilitator: If you could change one thing to help people stay involved, what would it be?
P1: Meetings at different times, and the option to join from home on a bad day.
P2: Pay expenses within two weeks. That is all. Two weeks.
P3: Tell us what happened. Even if the answer is no, tell us why.
P4: A proper induction. Someone to sit with new people and explain how the alliance works, who decides what, so they do not feel stupid.
P5: Bring us in earlier. Ask us before the paper is written, not after.
Facilitator: Thank you. That is really helpful. If anything else comes to mind, my direct line is 0191 496 0732, or tell any of the team.
"""

FOCUS_GROUP_2 = """\
Facilitator: Welcome, everyone, and thank you for giving up your evening. This is one of five conversations we are having across the alliance about why people stay involved, and what would help them keep going. I am going to ask a few open questions and then mostly listen. Shall we begin with what brought you to the forum?
P1: I finished treatment for bowel cancer two years ago and I felt completely dropped. One day you are seeing someone every week, the next day nothing. The forum was the first place where anyone asked what life after treatment was like. I came because I wanted that gap closed for other people.
P2: I saw a post on the hospital's page online. I had just gone back to work part-time after breast cancer and I was struggling, and the post said they wanted to hear from people going back to work. I thought, that is me, and I might learn something myself while I am at it.
P3: Mine is simpler. My consultant, Dr Okonjo, asked me. I trust him, so I said yes. I think I expected to come once.
P4: I am a carer. My wife has myeloma, which does not go away, so we are living with it rather than beyond it. I wanted to make sure people like her were not forgotten in a forum that can sound like it is only for people who are finished.
Facilitator: What did you hope would come of it?
P2: I hoped employers would get better information. That was my whole reason. And I hoped I would be treated as someone who knows things, not as a patient.
P4: I hoped we would get some honesty about what the hospital can and cannot do. I do not mind hearing no. I mind being strung along.
P1: I hoped for change, simple as that. I am a practical person.
Facilitator: And has it lived up to that?
P1: Some of it. The end of treatment summary is the big one. We pushed for every patient to get a written summary and a named contact, and now they do at our trust. I know it works because my friend finished treatment in January and she had a number to ring when she got worried about a pain in her side. That would not have happened two years ago.
P3: I agree. And personally, I did not expect it to help me, but it has. I was very low after treatment. Coming here gave me a reason to put a shirt on and leave the house. I have got my confidence back, bit by bit.
P2: I feel the same. I have done two talks now, one to a room of GPs. I would never have done that before. I was terrified, but they listened, and one of them wrote afterwards to say she had changed how she talks to patients about returning to work.
P4: For me it is the company. Caring is lonely. My wife is asleep a lot of the afternoon now. Here I can talk to people who get it, and I come home with something to tell her.
Facilitator: What makes it hard to stay involved?
P4: Time, and worry. If she has a bad night, I cannot come, and then I feel I have let the group down. I missed three meetings in the autumn and felt I had lost the thread completely.
P2: Work, for me. The forum meets at four in the afternoon, which suits retired people and nobody else. I have to take annual leave to come. I am using my holiday to help the NHS, which when you say it out loud is a bit much.
P1: I get frustrated by how slow it is. We talked about the prehabilitation leaflet for eighteen months. Eighteen months, for a leaflet. Every meeting there was a new manager who had not read the notes, and we started again from the beginning.
P3: And sometimes you feel like the decision has already been made. We were asked which of two posters we liked better. Both were fine. Nobody asked whether a poster was the right thing to do in the first place.
Facilitator: That sounds like a common frustration. Does anyone feel the group is listened to?
P2: I think the forum is. I think the alliance board less so. We send things up and they disappear.
P1: We got a letter from the chief executive once, thanking us. It was nice, but it did not say what they had done with our report. A thank you is not the same as an answer.
Facilitator: Before we finish, is there anything that would make you more likely to stay?
P2: Evening meetings, or online. Honestly, that is the whole of it for me.
P4: Some flexibility. If I miss a meeting, someone sends me a short note of what happened. Two paragraphs. That would keep me connected.
P3: Feedback. Show us what changed and what did not. Put it on a page we can look at.
P1: Fewer new managers. I know that is not in anyone's gift.
Facilitator: Thank you all. I will write this up and we will bring it back to the forum in the spring, so you can see what we do with it. If you want to add anything, you can write to the involvement team at the alliance office, Unit 4, Aykley Heads, Durham DH1 5TS.
"""

FOCUS_GROUP_3 = """\
Facilitator: Thank you for coming. I know some of you have come a long way, and one of you has brought a grandchild, which is very welcome. Today is about what keeps people involved and what gets in the way, and this group in particular has a lot to say about who is not in the room. Can we start with how you came to the group?
P1: Through the mosque. Our imam invited a nurse from the screening programme to talk after Friday prayers, and she said they needed people who could tell them why our community does not come for screening. My mother died of cervical cancer that was found too late. So I put my hand up.
P2: I am a community champion with the housing association. I got involved because the people on my estate do not trust the hospital. They think it is not for them. I wanted to be a bridge.
P3: I came because of my brother. He has a learning disability and he had prostate cancer, and the letters he got were impossible for him. Nobody had thought about people like him at all. I wanted to make sure that did not happen to the next person.
P4: I am a Polish speaker and I help with interpreting in the community. When my friend Agnieszka Nowak was diagnosed, she had no idea what was happening for weeks because nobody arranged an interpreter. I was angry. I still am a bit angry, to be honest, but it is useful anger now.
P5: Mine was a job centre thing, if I am honest. I was looking for anything to put on my CV. Then I found I actually cared about it.
Facilitator: What did you expect when you joined?
P2: I expected to be the only one like me. And I was, at first. Everyone else was retired and had a car. It took a while before I felt I belonged.
P1: I expected them to want us for photographs. A diverse face on the leaflet. I said at the first meeting that I would not do that, and they were fine about it, to their credit.
Facilitator: What has been good about it?
P3: The easy read letters. We wrote them with a group of people with learning disabilities, and the hospital uses them now. My brother got one for his follow-up and he read it himself. He rang me to tell me. That was the best phone call I have had in years.
P4: They changed the booking system so that it asks about interpreters when the appointment is made, not on the day. That came from this group. We did that.
P2: I feel respected here. When I talk about my estate, they do not roll their eyes. They write it down and they ask questions.
P5: I have learned how the NHS works, which is useful for my own family. And the chair wrote me a reference for college. I am starting an access course in September.
P1: And we are friends now, even though we are all very different. Some of us would never have met otherwise.
Facilitator: What makes it difficult?
P2: Money, straight away. People on my estate cannot wait six weeks for expenses. They cannot put the bus fare on a card and get it back later. If you want people who are struggling, you have to pay up front, in cash or on the day.
P4: The meetings are in English and the papers are in English, and very complicated English. I can manage, but the people I would bring cannot.
P1: Travel. The meetings are at the alliance office, which is two buses from my house. With my knees, it is more than an hour each way. When they were online during the pandemic, I never missed one.
P3: Caring, for me. I look after my brother three days a week. If the meeting is on one of those days, I cannot come, and nobody thought to ask which days suit us.
P5: Sometimes it feels like we are there to prove they asked. The reports say the reference group was consulted, but the consultation was twenty minutes at the end of a long agenda.
P2: And then you never find out what happened. We gave them a whole list about the screening invitations. I asked in the summer and nobody knew who had it.
Facilitator: That comes up in every group. What would help?
P2: Pay on the day. Cash or a voucher, people's choice.
P4: Translated summaries, even just one page, in the main community languages.
P1: Hold some meetings in the community, in the places people already go. The mosque, the community centre, the library.
P3: Ask us what days and times work before you set the year's dates.
P5: Tell us what changed, and say who made it happen. It matters to people to know their name was on it, even if it is only us who see it.
Facilitator: Thank you. I will make sure this goes to the alliance board. If anyone wants to carry on the conversation, my mobile is 07700 900837, and you can text.
"""

FOCUS_GROUP_4 = """\
Facilitator: Thank you for making the time. All four of you are, or have been, carers for someone with cancer, and all of you have been involved with the alliance for at least a year. I would like to hear what keeps you involved, and what would make it easier. Who would like to start?
P1: I will. I looked after my mum through two years of treatment for ovarian cancer. She died last year. I kept coming to the group afterwards because it was somewhere I could still do something for her, in a way. She was always writing letters of complaint. I think she would like that I am doing it properly now.
P2: I care for my partner, Dev Mistry, who has head and neck cancer. He cannot speak very well since the surgery, so I speak for both of us a lot of the time, at appointments and here. I wanted the people planning services to hear what it is like to be the one holding everything together.
P3: I came along because my brother-in-law, Alan Birch, was on the group and he dragged me. Then he stepped back when his own health got worse and I stayed. I suppose I was curious. I wanted to know how the decisions were made.
P4: For me it was guilt, partly. I felt I did not do enough for my dad when he was ill. I did not know what to ask, and I did not know who to ask. I thought if I could help other families know, that would be something.
Facilitator: What did you hope you would get from it?
P2: A bit of recognition that carers are doing a lot of the work. And maybe some support for myself. I did not expect that, but I hoped.
P4: Answers. I wanted to understand the system.
Facilitator: Has it been what you hoped?
P2: Partly. The carers' information pack is good, and they used our words for it. It has the practical things in, like how to get a blue badge and who to ring at night. That is our work, and I am proud of it.
P3: I have got more confident. I chaired part of a meeting in June when the chair was off. I was shaking, but I did it.
P1: It helped me grieve, strangely. The others in the group knew Mum. When she died they sent a card signed by everyone. I still have it on the fridge.
P4: I understand the system much better now, and I have passed that on. Two families at my work have asked me who to ring, and I knew.
Facilitator: What has made it difficult?
P2: Caring does not stop for meetings. If Dev has a bad day I cannot leave him, and I cannot always say in advance. I hate letting people down.
P1: The money side. When Mum was alive, I had to pay someone to sit with her so I could come. That was not covered, only my bus fare. So in effect it cost me money to help the NHS.
P4: Being talked over. There was a meeting where a manager kept saying patients as if carers did not exist. When I raised it, she said carers were included in patients. We are not. We have different needs.
P3: And hearing nothing back. We did a big piece of work on visiting hours on the oncology ward. Months later, I heard from a nurse that it had changed. Nobody from the group was told. It would have been lovely to hear it from the people we gave it to.
P2: The papers, too. They arrive the night before, forty pages, and half of it is tables of numbers. I read them at midnight after Dev is in bed, and I still do not know what I am supposed to look at.
Facilitator: What would make it easier for carers to stay involved?
P1: Pay for replacement care. Properly, up front.
P2: Let us join by phone. A phone call is something I can do from the kitchen while he sleeps.
P4: Recognise carers as a separate voice. Have a carers' item on the agenda.
P3: A short note after each meeting of what happened and who is doing what. One side of paper.
Facilitator: Thank you all very much. I know it is not easy to find the time. If you have any problems with expenses from today, ring Jo Pearson in the office on 01325 496218.
"""

FOCUS_GROUP_5 = """\
Facilitator: Welcome. Everyone here joined one of the alliance's groups in the last twelve months, so you are seeing it with fresh eyes, which is exactly what we want. What made you decide to join?
P1: I finished immunotherapy for melanoma last year. I am thirty-four, and everything about cancer services seemed designed for people twice my age. I joined because I wanted someone younger in the room.
P2: I retired from teaching in the summer and I wanted to do something useful with my time. I had a lymphoma scare five years ago, all clear now, and I thought I could give something back to the people who looked after me.
P3: My daughter found it online. She said I had been complaining about the hospital for a year and I should either do something about it or stop. So here I am.
P4: I am a nurse, actually, retired, and also a patient now. I thought I could see it from both sides.
P5: A friend from my support group, Gillian Marsh, told me about it. She said they pay for your time, which I will not pretend did not matter to me.
Facilitator: What did you expect the first meeting would be like?
P3: I thought it would be a lot of people in suits. It was a lot of people in cardigans, which was a relief.
P1: I expected to be able to say something and have it change. I have learned it is slower than that.
P5: I had no idea what to expect. Nobody told me anything beforehand. I did not know if I could ask questions, or whether I was supposed to have read something.
Facilitator: How has it been so far?
P2: I love it. I feel useful again. The group is warm, and people say hello to each other properly. And I have already seen one thing change: the waiting room at the haematology clinic has a water fountain now, which we asked for in my second meeting.
P4: It is good to be on the other side of the table in a different way. The staff listen to patients here more than they listen to nurses, I think, which is a bit funny.
P1: It is mixed. The people are lovely. But I am usually the only person under sixty and the meetings are during the working day. I have used up most of my leave.
P3: I have learned a lot. I did not know what a cancer alliance was. I do now, sort of.
Facilitator: What has been hard?
P5: The induction. There was not one. I sat through three meetings before I understood who half the people were. The acronyms were like a foreign language. MDT, FDS, CNS, PTL. I wrote them all down and looked them up at home.
P1: The time of day, like I said. If I want to stay, I cannot keep taking leave.
P5: The payment was slower than I expected. Eight weeks for the first one. I had to ring up twice, and the second time I had to give my postcode again, NE3 4XJ, for about the third time, before they could find me.
P3: I felt at one meeting that they had already decided. They showed us the new leaflet and it was already printed. What was the point of asking us?
P2: I do find the papers long. I read them, because I was a teacher and I like homework. But I can see how people would not.
Facilitator: Do you think you will still be involved in a year?
P2: Definitely.
P4: Probably, if my health holds. Some weeks the treatment leaves me flat.
P1: Only if something changes about the times, or I can join online.
P3: If I see that what we say makes a difference, yes. If it is all leaflets that are already printed, no.
P5: Yes, I think so. I have made two good friends already, and I want to see the new clinic letters through.
Facilitator: Thank you. That is really valuable. We will share what we heard with the involvement lead and with the groups. If you think of anything else, my number is 0191 496 0511.
"""

STEPPED_BACK = """\
Facilitator: Thank you for agreeing to talk to us, even though you are no longer on the groups. We want to understand why people step back, so we can do better. There is no criticism of anyone in this, and you can stop at any time. What made you decide to stop?
P1: My health, mainly. The cancer came back last spring and the treatment takes everything out of me. I did not stop because of anything the group did. But I will say that nobody asked whether I could take part in a different way. It was all or nothing.
P2: I stopped because I did not think it was going anywhere. I was on the lung pathway group for three years. We kept making the same points about the waiting times for scans, and every year the same slides came back with the same numbers. I got tired of hearing myself.
P3: For me it was money and benefits. I was being paid for my time, and then the job centre said it might count as earnings. Nobody could tell me for certain. I could not risk my Universal Credit over it, so I stopped.
Facilitator: Did anyone talk to you about it before you left?
P3: The involvement lead was very kind. She tried to find out for me, but she did not know either, and in the end I just could not wait any longer.
P1: I sent an email saying I was stepping back. I got a nice reply. But nobody rang to ask if I would like the papers sent to me, or if I could give my views another way.
P2: I just stopped coming. I do not think anyone noticed for a couple of months, which says something.
Facilitator: What had kept you involved until then?
P2: The people, without question. I still see a couple of them. Trevor Hall from the group rang me last month just to see how I was. And at the start, when we got the rapid access clinic set up, I felt like we had really done something.
P1: Feeling useful. When you are ill, people do things for you all the time. In the group I was the one doing something for other people.
P3: Learning. I understood my own treatment better because of the group. I could ask my consultant better questions.
Facilitator: Is there anything you miss about it?
P2: The arguments, funnily enough. Good ones, about how to do things better. I do not get that anywhere else now.
P1: Having somewhere to go on a Thursday. It gave the week a shape, and I looked forward to it even on the bad days.
P3: Knowing what was going on. Now I only find out about a change when it happens to me.
Facilitator: Was there anything that could have kept you?
P1: Being able to join from home, or by email. Being sent the papers and asked for my thoughts, even if I could not come.
P3: Clear advice about the benefits, in writing, from someone who knew. Or the choice to be paid in vouchers instead.
P2: Evidence that it mattered. A proper report each year: this is what you said, this is what we did, this is what we could not do and why.
Facilitator: Would you come back?
P1: If I get through this round of treatment, yes, I would like to.
P3: If the benefits question was sorted, tomorrow.
P2: Maybe. Show me that it is different now and I will think about it. You can ring me on 07700 900254, but not before ten.
Facilitator: Thank you. We will let you know what happens with what you have told us.
"""


# Words the lead's review found were not identifiers after all.
NOT_IDENTIFIERS = ["Mostly", "Welcome", "Aykley Heads", "Universal Credit"]


# How the two coders coded them ------------------------------------------------------------


@dataclass(frozen=True)
class Coded:
    """A passage and what each coder did with it.

    `quote` is the text the lead analyst selected. `lead` and `second` are the code each applied
    (None: that coder left the passage uncoded). `reach` is how the second coder drew the edges:
    "same", the whole speaker turn ("turn"), or only its first sentence ("part").
    """

    quote: str
    lead: str | None
    second: str | None
    reach: str = "same"


def both(quote: str, code: str, reach: str = "same") -> Coded:
    return Coded(quote, code, code, reach)


def lead_only(quote: str, code: str) -> Coded:
    return Coded(quote, code, None)


def second_only(quote: str, code: str) -> Coded:
    return Coded(quote, None, code)


def differ(quote: str, lead: str, second: str) -> Coded:
    return Coded(quote, lead, second)


@dataclass(frozen=True)
class Transcript:
    name: str
    text: str
    coding: list[Coded]


TRANSCRIPTS = [
    Transcript(
        "Focus group 1: Patient and Carer Partnership Group",
        FOCUS_GROUP_1,
        [
            both("I have been through it, so I might as well be useful.", "give-back"),
            lead_only("I wanted something good to come out of a horrible year.", "give-back"),
            both(
                "I thought if I could stop that happening to somebody else then it was worth a "
                "couple of afternoons a month.",
                "next-person",
                "turn",
            ),
            differ(
                "Somebody has to say what it is like on the other side of the bed.",
                "own-experience",
                "next-person",
            ),
            both(
                "I wanted to put that to use rather than just moan about it in the car park.",
                "own-experience",
                "turn",
            ),
            both(
                "I expected that if we said something was not working, someone would at least "
                "explain why it could not change.",
                "expectations",
                "turn",
            ),
            differ(
                "I expected it to be a tick-box exercise, if I am honest.", "expectations", "token"
            ),
            both(
                "There are still meetings where the paper is finished and we are asked to comment "
                "on the font. That is not involvement, that is proofreading.",
                "token",
                "part",
            ),
            both(
                "We were in the room when they drew the map of the pathway, and they changed it "
                "because of what we said.",
                "change",
            ),
            both(
                "When the new letter for first appointments came out, it had our wording in it.",
                "change",
                "turn",
            ),
            second_only("I was so proud I nearly cried.", "heard"),
            lead_only(
                "You do not always see it, but when you do, you feel it was worth it.", "change"
            ),
            both(
                "I have made friends here. A few of us go to the café afterwards", "peers", "turn"
            ),
            both("We look after each other. Nobody else quite understands.", "peers"),
            both("I can read a board paper now and know which bits matter.", "confidence", "turn"),
            both("Fatigue does not read the meeting calendar.", "energy", "turn"),
            both(
                "You get it back, but it takes six or seven weeks, and in the meantime that is my "
                "electric.",
                "money",
                "turn",
            ),
            differ(
                "I had a claim sent back because I had used the wrong version of the form.",
                "money",
                "jargon",
            ),
            both(
                "Nobody could tell me for sure whether being paid for my time would affect my "
                "Employment and Support Allowance",
                "money",
            ),
            both("If you never hear, you stop believing it matters.", "no-news", "turn"),
            both("Half the papers are written for managers. Acronyms everywhere.", "jargon"),
            both("Tell us what happened. Even if the answer is no, tell us why.", "no-news"),
            lead_only("Meetings at different times, and the option to join from home", "life"),
            second_only("Pay expenses within two weeks.", "money"),
            both("Bring us in earlier. Ask us before the paper is written, not after.", "token"),
        ],
    ),
    Transcript(
        "Focus group 2: Living With and Beyond Cancer Forum",
        FOCUS_GROUP_2,
        [
            both(
                "I came because I wanted that gap closed for other people.", "next-person", "turn"
            ),
            second_only("I might learn something myself while I am at it.", "expectations"),
            lead_only("I think I expected to come once.", "expectations"),
            both("I wanted to make sure people like her were not forgotten", "next-person", "turn"),
            both("I hoped employers would get better information.", "expectations"),
            differ(
                "I hoped I would be treated as someone who knows things, not as a patient.",
                "expectations",
                "heard",
            ),
            both("I do not mind hearing no. I mind being strung along.", "expectations", "turn"),
            both(
                "We pushed for every patient to get a written summary and a named contact, and "
                "now they do at our trust.",
                "change",
                "turn",
            ),
            both(
                "Coming here gave me a reason to put a shirt on and leave the house. I have got "
                "my confidence back, bit by bit.",
                "confidence",
                "part",
            ),
            both("I have done two talks now, one to a room of GPs.", "confidence"),
            lead_only(
                "she had changed how she talks to patients about returning to work", "change"
            ),
            both("Caring is lonely.", "peers", "turn"),
            both(
                "If she has a bad night, I cannot come, and then I feel I have let the group down.",
                "life",
            ),
            both("I have to take annual leave to come.", "life", "turn"),
            differ(
                "We talked about the prehabilitation leaflet for eighteen months.",
                "no-news",
                "token",
            ),
            both(
                "Nobody asked whether a poster was the right thing to do in the first place.",
                "token",
                "turn",
            ),
            both("We send things up and they disappear.", "no-news"),
            both("A thank you is not the same as an answer.", "no-news", "turn"),
            lead_only("Evening meetings, or online.", "life"),
            second_only(
                "If I miss a meeting, someone sends me a short note of what happened.", "no-news"
            ),
            both("Show us what changed and what did not.", "no-news"),
        ],
    ),
    Transcript(
        "Focus group 3: Health Inequalities Reference Group",
        FOCUS_GROUP_3,
        [
            both(
                "My mother died of cervical cancer that was found too late. So I put my hand up.",
                "next-person",
                "turn",
            ),
            differ("I wanted to be a bridge.", "own-experience", "next-person"),
            both("I wanted to make sure that did not happen to the next person.", "next-person"),
            both(
                "I still am a bit angry, to be honest, but it is useful anger now.",
                "own-experience",
                "turn",
            ),
            lead_only("Then I found I actually cared about it.", "give-back"),
            both("I expected to be the only one like me.", "expectations", "turn"),
            differ(
                "I expected them to want us for photographs. A diverse face on the leaflet.",
                "expectations",
                "token",
            ),
            both(
                "He rang me to tell me. That was the best phone call I have had in years.",
                "change",
                "part",
            ),
            both("That came from this group. We did that.", "change", "turn"),
            both("I feel respected here.", "heard", "turn"),
            both("I am starting an access course in September.", "confidence", "turn"),
            both("we are friends now, even though we are all very different", "peers"),
            both(
                "If you want people who are struggling, you have to pay up front, in cash or on "
                "the day.",
                "money",
                "turn",
            ),
            both("I can manage, but the people I would bring cannot.", "jargon", "turn"),
            both("it is more than an hour each way", "travel", "turn"),
            both("nobody thought to ask which days suit us", "life", "turn"),
            both("Sometimes it feels like we are there to prove they asked.", "token", "turn"),
            both("I asked in the summer and nobody knew who had it.", "no-news"),
            lead_only(
                "Hold some meetings in the community, in the places people already go.", "travel"
            ),
            second_only("Translated summaries, even just one page", "jargon"),
            differ("It matters to people to know their name was on it", "heard", "no-news"),
        ],
    ),
    Transcript(
        "Focus group 4: carers",
        FOCUS_GROUP_4,
        [
            both(
                "it was somewhere I could still do something for her, in a way.",
                "give-back",
                "turn",
            ),
            both(
                "I wanted the people planning services to hear what it is like to be the one "
                "holding everything together.",
                "own-experience",
            ),
            lead_only("I wanted to know how the decisions were made.", "expectations"),
            both(
                "I thought if I could help other families know, that would be something.",
                "next-person",
                "turn",
            ),
            both("A bit of recognition that carers are doing a lot of the work.", "expectations"),
            second_only("And maybe some support for myself.", "expectations"),
            both("That is our work, and I am proud of it.", "change", "turn"),
            both("I chaired part of a meeting in June when the chair was off.", "confidence"),
            both("When she died they sent a card signed by everyone.", "peers", "turn"),
            differ(
                "I understand the system much better now, and I have passed that on.",
                "confidence",
                "give-back",
            ),
            both("Caring does not stop for meetings.", "life", "turn"),
            both("So in effect it cost me money to help the NHS.", "money", "turn"),
            differ(
                "When I raised it, she said carers were included in patients. We are not.",
                "token",
                "heard",
            ),
            both("Nobody from the group was told.", "no-news", "turn"),
            both(
                "They arrive the night before, forty pages, and half of it is tables of numbers.",
                "jargon",
                "turn",
            ),
            lead_only("Let us join by phone.", "life"),
            second_only(
                "A short note after each meeting of what happened and who is doing what.",
                "no-news",
            ),
        ],
    ),
    Transcript(
        "Focus group 5: newer members",
        FOCUS_GROUP_5,
        [
            both("I joined because I wanted someone younger in the room.", "own-experience"),
            both(
                "I thought I could give something back to the people who looked after me.",
                "give-back",
                "turn",
            ),
            lead_only("I should either do something about it or stop.", "next-person"),
            both("I thought I could see it from both sides.", "own-experience"),
            differ(
                "She said they pay for your time, which I will not pretend did not matter to me.",
                "money",
                "expectations",
            ),
            both(
                "I expected to be able to say something and have it change. I have learned it is "
                "slower than that.",
                "expectations",
                "part",
            ),
            both("Nobody told me anything beforehand.", "jargon", "turn"),
            both("I feel useful again.", "heard"),
            both(
                "the waiting room at the haematology clinic has a water fountain now",
                "change",
                "turn",
            ),
            lead_only("The staff listen to patients here more than they listen to nurses", "heard"),
            both("I have used up most of my leave.", "life", "turn"),
            both("The acronyms were like a foreign language.", "jargon", "turn"),
            both("Eight weeks for the first one.", "money", "turn"),
            both("They showed us the new leaflet and it was already printed.", "token", "turn"),
            second_only("I do find the papers long.", "jargon"),
            both("Probably, if my health holds.", "energy", "turn"),
            both("I have made two good friends already", "peers", "turn"),
        ],
    ),
]

BLIND_TRANSCRIPT = Transcript(
    "Conversation with members who stepped back",
    STEPPED_BACK,
    [
        both(
            "The cancer came back last spring and the treatment takes everything out of me.",
            "ill-health",
            "turn",
        ),
        both("I stopped because I did not think it was going anywhere.", "no-change", "turn"),
        both("I could not risk my Universal Credit over it, so I stopped.", "benefits", "turn"),
        differ("I do not think anyone noticed for a couple of months", "no-change", "evidence"),
        both("The people, without question.", "valued", "turn"),
        both("In the group I was the one doing something for other people.", "valued"),
        lead_only("I could ask my consultant better questions.", "valued"),
        both("Being able to join from home, or by email.", "other-ways", "turn"),
        both("Clear advice about the benefits, in writing, from someone who knew.", "benefits"),
        both("Evidence that it mattered.", "evidence", "turn"),
        second_only("nobody asked whether I could take part in a different way", "other-ways"),
    ],
)


# The survey ---------------------------------------------------------------------------------
# Each comment is one to three of these, with the codes a careful coder would give it.

COMMENT_PARTS: list[tuple[str, str]] = [
    ("I wanted to give something back after the care my wife had.", "give-back"),
    ("After everything the staff did for me, it is the least I can do.", "give-back"),
    ("It makes something good come out of a bad few years.", "give-back"),
    ("I do not want anyone else to wait as long as I did for a diagnosis.", "next-person"),
    ("If it helps one family have an easier time than we did, it is worth it.", "next-person"),
    ("I keep coming so the next person gets better letters than I did.", "next-person"),
    (
        "I spent my working life in the health service and I know where things get stuck.",
        "own-experience",
    ),
    ("As a carer I see things the patient does not, and that needs saying.", "own-experience"),
    (
        "My experience of treatment is worth something if it changes how it is done.",
        "own-experience",
    ),
    ("I hoped we would be asked before decisions were made, not after.", "expectations"),
    ("I expected it to be a talking shop, and some of it is.", "expectations"),
    ("I thought I would just be giving my story, but it is much more than that.", "expectations"),
    ("The staff genuinely listen and take notes of what we say.", "heard"),
    ("I am treated as an equal in the room.", "heard"),
    ("It is good to be asked for my opinion and have it respected.", "heard"),
    ("Our changes to the clinic letter are now used for everyone.", "change"),
    ("We asked for a quiet room for bad news and now there is one.", "change"),
    ("Seeing the new leaflet in the waiting room made me proud.", "change"),
    ("The group are like a second family to me now.", "peers"),
    ("I have made good friends, and we meet for coffee outside the meetings.", "peers"),
    ("It helps to talk to people who have been through the same thing.", "peers"),
    ("I am much more confident speaking up, even at my own appointments.", "confidence"),
    ("I have learned how decisions are made in the NHS.", "confidence"),
    ("I chaired a meeting for the first time this year.", "confidence"),
    ("Expenses take far too long to come through.", "money"),
    ("I worry that being paid will affect my benefits and nobody can tell me for sure.", "money"),
    ("The parking charges at the hospital put me off coming.", "money"),
    ("Some weeks I am too tired from treatment to come.", "energy"),
    ("My health is up and down, so I miss meetings I would like to be at.", "energy"),
    ("Meetings in working hours mean I have to use my annual leave.", "life"),
    ("Caring for my husband comes first and the meeting times do not always fit.", "life"),
    ("I cannot come in the school holidays because I have my grandchildren.", "life"),
    ("It is two buses and over an hour to get to the alliance office.", "travel"),
    ("Please hold some meetings online or nearer to where we live.", "travel"),
    ("The papers arrive too late to read properly.", "jargon"),
    ("There are too many abbreviations and nobody explains them.", "jargon"),
    ("Nobody explained how the group works when I joined.", "jargon"),
    ("We never hear what happened to our suggestions.", "no-news"),
    ("I would like to know which of our ideas were used and which were not, and why.", "no-news"),
    ("Sometimes it feels like the decision is made before we are asked.", "token"),
    ("We are asked to comment on leaflets that have already been printed.", "token"),
    ("It can feel like we are there so someone can tick a box.", "token"),
]
# A few comments name someone or leave a number, as real ones do, for pseudonymisation to catch.
COMMENT_IDENTIFIERS = [
    "Ring me on 07700 900{n:03d} if you want to talk about it.",
    "Thank you to Karen Whitfield for making me so welcome.",
    "My email is member{n}@example.org if you need more detail.",
    "Pauline Fraser in the office sorted my claim out in a day.",
]
SERVICES = [
    "Patient and Carer Partnership Group",
    "Health Inequalities Reference Group",
    "Living With and Beyond Cancer Forum",
    "Patient information review",
    "Lung cancer pathway",
]


def _comments(rng: random.Random, count: int) -> list[tuple[str, list[str]]]:
    """(comment, the codes a careful coder would give it), in survey order."""
    comments = []
    for number in range(count):
        parts = rng.sample(COMMENT_PARTS, rng.choices([1, 2, 3], weights=[45, 40, 15])[0])
        text = " ".join(part for part, _ in parts)
        if rng.random() < 0.04:
            text += " " + rng.choice(COMMENT_IDENTIFIERS).format(n=number % 1000)
        comments.append((text, list(dict.fromkeys(code for _, code in parts))))
    return comments


# Building it --------------------------------------------------------------------------------


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _codebook(
    lead: User, project: Project, book: list[tuple[DemoCode, list[DemoCode]]]
) -> dict[str, Code]:
    codes = {}
    for parent, children in book:
        top = codebook.add_code(
            by=lead,
            project=project,
            name=parent.name,
            description=parent.description,
            colour=parent.colour,
        )
        codes[parent.key] = top
        for child in children:
            codes[child.key] = codebook.add_code(
                by=lead,
                project=project,
                parent=top,
                name=child.name,
                description=child.description,
                inclusion=child.inclusion,
                exclusion=child.exclusion,
                colour=parent.colour,
            )
    return codes


def _paste_and_release(lead: User, project: Project, transcript: Transcript) -> Source:
    """Paste, review and release, as the lead would: words that pseudonymisation took for names
    but are not (a greeting, a place, a benefit) are kept as they were written."""
    pasted = sources.paste_text(
        by=lead, project=project, name=transcript.name, text=transcript.text, pseudonymise=True
    )
    if pasted.status == Import.Status.REVIEW:
        mistaken = Replacement.objects.filter(
            source__source_import=pasted, original__in=NOT_IDENTIFIERS
        ).values_list("pk", flat=True)
        if mistaken:
            sources.keep_original_words(
                by=lead, source_import=pasted, replacement_ids=list(mistaken)
            )
        sources.release(by=lead, source_import=pasted)
    return Source.objects.select_related("source_import").get(source_import=pasted)


def _ranges(text: str, coded: Coded) -> tuple[tuple[int, int], tuple[int, int]]:
    """The lead's and the second coder's character ranges for a passage."""
    start = text.find(coded.quote)
    if start < 0:
        raise ValueError(f"The demo transcript has no passage {coded.quote!r}")
    end = start + len(coded.quote)
    if coded.reach == "turn":  # the whole line, after the speaker's label
        line_start = text.rfind("\n", 0, start) + 1
        label = text.find(": ", line_start, start)
        line_end = text.find("\n", end)
        return (start, end), (
            label + 2 if label >= 0 else line_start,
            line_end if line_end >= 0 else len(text),
        )
    if coded.reach == "part":  # the first sentence only
        stop = coded.quote.find(". ")
        if stop < 0:
            raise ValueError(f"{coded.quote!r} has one sentence: it cannot be coded in part")
        return (start, end), (start, start + stop + 1)
    return (start, end), (start, end)


def _code_transcript(
    source: Source, transcript: Transcript, codes: dict[str, Code], lead: User, second: User
) -> None:
    for coded in transcript.coding:
        lead_range, second_range = _ranges(source.text, coded)
        for coder, key, (start, end) in (
            (lead, coded.lead, lead_range),
            (second, coded.second, second_range),
        ):
            if key is not None:
                coding.apply_codes(
                    by=coder, source=source, codes=[codes[key]], start=start, end=end
                )


def _survey(
    rng: random.Random, lead: User, project: Project, today: datetime.date
) -> tuple[Dataset, list[list[str]]]:
    """The survey's rows as its CSV import writes them once released: one response per row
    (the header is row 1), pseudonymised, with the date and the group as attributes. Returns the
    dataset and, row by row, the codes a careful coder would give each comment."""
    now = timezone.now()
    comments = _comments(rng, SURVEY_RESPONSES)
    columns = ["Date", "Group"]
    source_import = Import.objects.create(
        project=project,
        file_name="involvement-survey.csv",
        status=Import.Status.RELEASED,
        pseudonymised=True,
        rows_done=len(comments),
        rows_total=len(comments),
        imported_by=lead,
        released_by=lead,
        released_at=now,
        options={
            "format": "csv",
            "name": SURVEY_NAME,
            "text_column": "Comment",
            "attribute_columns": columns,
            "sheet": "",
        },
    )
    dataset = Dataset.objects.create(
        project=project, source_import=source_import, name=SURVEY_NAME, text_column="Comment"
    )
    attributes = {
        column: Attribute.objects.get_or_create(project=project, name=column)[0]
        for column in columns
    }
    dataset.attributes.set(attributes.values())
    pseudonymiser = sources._pseudonymiser(project)
    found_by_row = {}
    rows = []
    for number, (comment, _) in enumerate(comments):
        row = number + 2
        text, found = pseudonymiser.apply(comment)
        if found:
            found_by_row[row] = found
        answered = today - datetime.timedelta(days=rng.randint(3, 330))
        rows.append(
            Source(
                project=project,
                source_import=source_import,
                dataset=dataset,
                row=row,
                kind=Source.Kind.RESPONSE,
                name=f"{SURVEY_NAME}, row {row}",
                text=text,
                received_on=answered,
                values={
                    str(attributes["Date"].pk): answered.isoformat(),
                    str(attributes["Group"].pk): rng.choice(SERVICES),
                },
            )
        )
    Source.objects.bulk_create(rows, batch_size=1000)
    saved = dict(source_import.sources.filter(row__in=found_by_row).values_list("row", "pk"))
    replacements = [
        replacement
        for row, found in found_by_row.items()
        for replacement in sources._replacements(Source(pk=saved[row]), found)
    ]
    for replacement in replacements:
        replacement.original = ""  # dropped on release: the project keeps no originals
    Replacement.objects.bulk_create(replacements)
    sources._save_placeholders(project, pseudonymiser)
    return dataset, [keys for _, keys in comments]


# How often the second coder leaves out a code the lead gave a comment, and how often they give
# a neighbouring code instead.
SURVEY_MISSED = 0.15
SURVEY_MISREAD = 0.2
# A coder's slips: where the second coder reads a comment differently from the lead.
NEAR = {
    "give-back": "next-person",
    "next-person": "give-back",
    "own-experience": "give-back",
    "expectations": "token",
    "heard": "change",
    "change": "heard",
    "peers": "heard",
    "confidence": "heard",
    "money": "life",
    "energy": "life",
    "life": "energy",
    "travel": "life",
    "jargon": "no-news",
    "no-news": "token",
    "token": "no-news",
}


def _code_survey(
    rng: random.Random,
    dataset: Dataset,
    answers: list[list[str]],
    codes: dict[str, Code],
    lead: User,
    second: User,
) -> None:
    """The lead codes the first 160 responses, the second coder the first 120 and 60 more
    further on; the second coder sometimes misses a code or picks a neighbouring one."""
    responses = list(
        Source.objects.filter(dataset=dataset).select_related("source_import").order_by("row")
    )
    for index, response in enumerate(responses):
        keys = answers[index]
        if index < 160:
            coding.apply_codes(
                by=lead,
                source=response,
                codes=[codes[key] for key in keys],
                start=0,
                end=len(response.text),
            )
        if index < 120 or 200 <= index < 260:
            chosen = []
            for key in keys:
                roll = rng.random()
                if roll < SURVEY_MISSED:
                    continue
                chosen.append(NEAR[key] if roll < SURVEY_MISSED + SURVEY_MISREAD else key)
            if chosen:
                coding.apply_codes(
                    by=second,
                    source=response,
                    codes=[codes[key] for key in dict.fromkeys(chosen)],
                    start=0,
                    end=len(response.text),
                )


def _memos(
    project: Project, documents: list[Source], codes: dict[str, Code], lead: User, second: User
) -> int:
    first = documents[0]
    proud = coding.visible_segments(lead, project).filter(
        source=first, code=codes["change"], coder=lead
    )
    claims = coding.visible_segments(second, project).filter(
        source=first, code=codes["jargon"], coder=second
    )
    notes = [
        coding.add_memo(
            by=lead,
            project=project,
            text="Coding plan: both of us code all five focus groups and the first 120 survey "
            "responses blind, then compare. The codebook follows the three personal-impact "
            "themes so the findings line up with the questionnaires.",
        ),
        coding.add_memo(
            by=lead,
            project=project,
            source=first,
            text="The richest of the five on seeing change. Compare with focus group 3 on "
            "letters, where the same thing happened with easy read versions.",
        ),
        coding.add_memo(
            by=lead,
            project=project,
            code=codes["token"],
            text="For being asked too late or for show. Slow progress on its own goes under Not "
            "hearing back: we disagreed on this in focus group 2.",
        ),
        coding.add_memo(
            by=second,
            project=project,
            source=documents[2],
            text="Several people here talk about who is missing from the room. Worth a code of "
            "its own if it comes up again?",
        ),
    ]
    if proud.exists():
        notes.append(
            coding.add_memo(
                by=lead,
                project=project,
                segment=proud.order_by("start")[0],
                text="Good quote for the report: the change reached someone who did not know "
                "the member had been involved.",
            )
        )
    if claims.exists():
        notes.append(
            coding.add_memo(
                by=second,
                project=project,
                segment=claims[0],
                text="I coded this as paperwork rather than money: the claim was fine, the form "
                "was the problem. One to discuss.",
            )
        )
    return len(notes)


def _agree(lead: User, project: Project, documents: list[Source]) -> int:
    """The lead opens the comparison, agrees what both coded alike on the first three focus
    groups, and settles the first differences on the first: where one coder took the rest of a
    turn that both coded, the wider reading is agreed; elsewhere the team keeps the lead's code
    and drops what only the second coder saw."""
    coding.open_comparison(by=lead, project=project)
    for source in documents[:3]:
        coding.agree_where_unanimous(by=lead, source=source)
    first = documents[0]
    agreed_edges = {
        (code_id, edge)
        for code_id, start, end in Segment.objects.filter(
            source=first, layer=Layer.CONSENSUS
        ).values_list("code_id", "start", "end")
        for edge in (start, end)
    }
    differences = coding.compare(first).differences[:DECISIONS]
    for difference in differences:
        touching = {(difference.code.pk, difference.start), (difference.code.pk, difference.end)}
        if touching & agreed_edges:
            outcome, note = "agreed", "The rest of the turn says the same thing: keep it whole."
        elif lead.pk in difference.applied_by:
            outcome, note = "agreed", "Discussed: it fits the code's definition."
        else:
            outcome, note = "rejected", "Discussed: too little here to stand on its own."
        coding.decide(
            by=lead,
            source=first,
            code=difference.code,
            start=difference.start,
            end=difference.end,
            outcome=outcome,
            note=note,
        )
    return len(differences)


# How the survey's codes feel: what a coder marking sentiment would say of a comment made of them.
PRAISE = {"give-back", "heard", "change", "peers", "confidence"}
COMPLAINT = {"money", "energy", "life", "travel", "jargon", "no-news", "token"}


def _feeling(keys: list[str]) -> Sentiment:
    found = set(keys)
    if found <= PRAISE:
        return Sentiment.POSITIVE
    if found <= COMPLAINT:
        return Sentiment.NEGATIVE
    return Sentiment.NEUTRAL


def _assist(dataset: Dataset, answers: list[list[str]], lead: User, second: User) -> None:
    """Machine assistance on the survey, as a team part-way through it would have it: the
    lead's sentiment labels on the coded responses, both models trained, a batch of suggestions
    over the rest, and the second coder's first few decisions.

    It runs here rather than through the task queue, so the demo is whole when loading ends.
    """
    responses = list(Source.objects.filter(dataset=dataset).order_by("row"))
    for response, keys in list(zip(responses, answers, strict=True))[:160]:
        suggestions.label_sentiment(by=lead, source=response, value=_feeling(keys))
    project = dataset.project
    for kind in Suggester.Kind.values:
        suggestions.run_training(suggestions.train(by=lead, project=project, kind=kind).pk)
    batch = batches.start(by=lead, project=project)
    for part in batch.parts.all():
        batches.run_part(part.pk)
    for source in suggestions.pending(project)[:8]:
        waiting = source.suggestions.filter(status=Suggestion.Status.PENDING)
        # The second coder keeps the most confident suggestion and rejects the others.
        best = waiting.order_by("-confidence").values_list("code_id", flat=True)[:1]
        suggestions.review(by=second, source=source, accepted=set(best))


def populate_analysis(
    rng: random.Random, organisation: Organisation, today: datetime.date
) -> dict[str, int]:
    """Both demo projects in `organisation`, led by the demo analyst, coded with the demo staff
    sign-in and viewed by the demo involvement lead. Needs the demo sign-ins."""
    lead, second, viewer = _user(LEAD_USERNAME), _user(CODER_USERNAME), _user(VIEWER_USERNAME)
    project = projects.start_project(
        by=lead,
        organisation=organisation,
        name=PROJECT_NAME,
        description="Five focus groups with members of the alliance's groups and a survey of "
        "everyone involved, on what keeps people involved and what gets in the way. Coded "
        "against the three personal-impact themes by two coders, then compared and agreed.",
    )
    projects.set_team_role(by=lead, project=project, user=second, role="coder")
    projects.set_team_role(by=lead, project=project, user=viewer, role="viewer")
    codes = _codebook(lead, project, CODEBOOK)
    documents = [_paste_and_release(lead, project, item) for item in TRANSCRIPTS]
    for source, transcript in zip(documents, TRANSCRIPTS, strict=True):
        _code_transcript(source, transcript, codes, lead, second)
    dataset, answers = _survey(rng, lead, project, today)
    _code_survey(rng, dataset, answers, codes, lead, second)
    memos = _memos(project, documents, codes, lead, second)
    themes.add_theme(
        by=lead,
        project=project,
        name="Seeing that it mattered",
        definition="People stay when they can see what their involvement changed, and drift "
        "away when they never hear back.",
        codes=[codes["change"], codes["no-news"], codes["heard"]],
    )
    themes.add_theme(
        by=lead,
        project=project,
        name="Involvement that fits a life",
        definition="Money, health, work and caring decide who can keep taking part.",
        codes=[codes[key] for key in ("money", "energy", "life", "travel")],
    )
    decisions = _agree(lead, project, documents)
    _assist(dataset, answers, lead, second)

    blind = projects.start_project(
        by=lead,
        organisation=organisation,
        name=BLIND_PROJECT_NAME,
        description="A conversation with three people who left the alliance's groups. Still "
        "coded blind: each coder sees only their own coding until the lead compares them.",
    )
    projects.set_team_role(by=lead, project=blind, user=second, role="coder")
    projects.set_team_role(by=lead, project=blind, user=viewer, role="viewer")
    blind_codes = _codebook(lead, blind, BLIND_CODEBOOK)
    stepped_back = _paste_and_release(lead, blind, BLIND_TRANSCRIPT)
    _code_transcript(stepped_back, BLIND_TRANSCRIPT, blind_codes, lead, second)

    return {
        "analysis_projects": 2,
        "analysis_sources": Source.objects.filter(project__in=[project, blind]).count(),
        "analysis_segments": Segment.objects.filter(
            project__in=[project, blind], layer=Layer.CODER
        ).count(),
        "analysis_memos": memos,
        "analysis_decisions": decisions,
    }
