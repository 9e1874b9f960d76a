"""Word lists for finding people's names in patient feedback and transcripts.

These lists were written for this project. They are plain data, kept apart from the rules in
`names.py` so that they can be read, reviewed and extended without touching code. Faker's
locale providers (installed as a dependency) add many more first names and surnames at run time;
the lists here cover the names most often met in UK cancer services, from the many communities
the NHS serves, and the words that look like names but usually are not.

Every list is a whitespace-separated block (phrases: one per line), turned into a frozenset by
`words` or `phrases`. Entries are written as people write them; `names.key` folds case, accents
and apostrophes before any comparison, so "Siân" and "Sian" are one entry.
"""


def words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def phrases(block: str) -> frozenset[str]:
    return frozenset(line.strip() for line in block.strip().splitlines() if line.strip())


# First names: English, Welsh, Scottish, Irish, South Asian, African, Caribbean, Eastern
# European, Chinese, Vietnamese, Middle Eastern and Southern European names met in the UK.
# Names that are also ordinary words (Will, Hope, May...) are listed in NAME_LIKE_WORDS too,
# which makes the rules ask for more evidence before treating them as names.
FIRST_NAMES = words(
    """
    Aaron Abigail Adam Adrian Aidan Alan Albert Alex Alexander Alexandra Alfie Alfred Alice
    Alison Amanda Amelia Amy Andrea Andrew Angela Anita Ann Anna Anne Annette Anthony Antony
    Archie Arthur Ashley Audrey Barbara Barry Beatrice Becky Ben Benjamin Bernard Beryl Beth
    Bethany Betty Beverley Brenda Brian Bridget Callum Cameron Carl Carly Caroline Carolyn
    Catherine Cathy Charlie Charles Charlotte Chloe Chris Christine Christopher Claire Clare
    Colin Connor Craig Daniel Danny Darren David Dawn Debbie Deborah Denise Dennis Derek Diana
    Diane Donna Doreen Dorothy Douglas Duncan Edward Eileen Elaine Eleanor Elizabeth Ella Ellie
    Emily Emma Eric Ethan Evelyn Fiona Frances Francis Freddie Freya Gail Gareth Gary Gavin Gemma
    Geoffrey George Georgia Gerald Gillian Gordon Graham Hannah Harold Harriet Harry Hayley
    Helen Henry Hilary Howard Ian Irene Isaac Isabel Isabella Jack Jackie Jacob Jacqueline Jake
    James Jamie Jane Janet Janice Jason Jean Jeff Jeffrey Jennifer Jenny Jeremy Jessica Jill
    Joan Joanna Joanne Jodie John Jonathan Joseph Josh Joshua Joyce Judith Judy Julia Julie
    Justin Karen Kate Katherine Kathleen Kathryn Katie Kayleigh Keith Kelly Kenneth Kerry Kevin
    Kieran Kim Laura Lauren Leah Leanne Lee Leon Lesley Leslie Lewis Liam Linda Lindsay Lisa
    Lizzie Lorraine Louise Lucy Luke Lydia Lynn Lynne Maisie Malcolm Margaret Maria Marian
    Marie Marilyn Martin Mary Matthew Maureen Melanie Michael Michelle Mike Mildred Molly
    Natalie Nathan Neil Nicholas Nicola Nigel Norma Norman Oliver Olivia Oscar Pamela Patricia
    Paul Paula Pauline Peter Philip Phoebe Phyllis Rachel Rebecca Richard Rita Robert Roger
    Ronald Rosemary Ross Ruth Ryan Sally Samantha Samuel Sandra Sarah Scott Sean Sharon Sheila
    Shirley Simon Sophie Stanley Stephanie Stephen Steven Stuart Susan Suzanne Sylvia Teresa
    Terry Thomas Tina Toby Tom Tony Tracey Tracy Trevor Valerie Vanessa Victoria Vincent Wendy
    William Yvonne Zoe Zoë Abbie Alana Alisha Bradley Carla Cheryl Clive Dale Dominic Elliot
    Gloria Graeme Hazel Jasmine Jemma Jordan Kirsty Marcus Maxine Nadine Sonia Tanya Wayne
    Aled Alun Angharad Arwel Bethan Bryn Cadi Carys Catrin Cerys Dafydd Dilys Eirlys Eleri Elin
    Emrys Ffion Gethin Geraint Glenys Gruffydd Gwenllian Gwilym Gwyneth Huw Hywel Iestyn Ieuan
    Ifan Ioan Iolo Llinos Llywelyn Lowri Mared Megan Meirion Nerys Nia Owain Rhian Rhiannon
    Rhodri Rhydian Rhys Seren Siân Sioned Tegan Tomos Elwyn Eluned Tirion Mali Gwen
    Ailsa Alasdair Alistair Angus Catriona Eilidh Euan Ewan Fergus Finlay Fraser Hamish Iain
    Innes Isla Kirsteen Lachlan Lorna Mhairi Morag Murdo Rory Ruaridh Seonaid Shona Struan
    Torquil Elspeth Morven
    Aisling Aoife Bríd Caoimhe Ciara Ciarán Clodagh Colm Conor Cormac Declan Deirdre Dermot
    Donal Eamon Eamonn Eimear Enda Eoin Fearghal Fionnuala Gráinne Máire Mairéad Niall Niamh
    Oisín Orla Pádraig Róisín Ronan Saoirse Séamus Sinéad Siobhán Sorcha Tadhg Una
    Aarav Aarti Abdul Abdullah Aditi Aditya Afzal Ahmed Aisha Ajay Akash Ali Amar Amina Amir
    Amit Anand Anil Anjali Anjum Arjun Asha Ashok Asif Ayesha Azra Bilal Deepa Deepak Devi
    Dilip Faisal Farah Farhan Fatima Fawad Ghulam Gita Gurpreet Gurdeep Hamza Haroon Harpreet
    Hassan Imran Iqbal Irfan Jaswinder Jaspreet Javed Kamal Kamran Kavita Khadija Kiran
    Krishna Kulwinder Lakshmi Mahmood Manjit Manoj Meena Mehmood Mina Mohammed Mohammad
    Muhammad Mohamed Nadia Naveed Nazia Neha Nisha Noor Parveen Pooja Prakash Priya Rahul Raj
    Rajesh Rakesh Ramesh Ravi Rehana Rizwan Rohan Rukhsana Sadia Saima Sajid Salma Samina
    Sanjay Sanjeev Shabana Shahid Shazia Sheetal Shreya Sohail Sunil Sunita Suresh Tariq Usman
    Vijay Vikram Yasmin Zainab Zahid Zara Zubair Nasreen Shamima Rubina Rafiq Rahim Anwar Habib
    Jamal Kamrul Mizanur Shahana Shirin Tahmina Fahmida Nusrat Delwar Sultana Tharshan Nirmala
    Sivakumar Thushara Kumaran Lalitha Senthil Balvinder Sukhwinder Navdeep Mandeep Rupinder
    Abena Abimbola Adaeze Adebayo Adeola Adewale Amaka Ayodele Babajide Chiamaka Chidi Chidinma
    Chinedu Chinonso Chioma Chukwuemeka Ebere Efua Emeka Folake Funmilayo Kemi Kofi Kwabena
    Kwaku Kwame Kwesi Kojo Nkechi Ngozi Obinna Oluwaseun Seun Segun Tunde Temitope Tobi Tolu
    Uchenna Yaw Yetunde Abdi Abdirahman Ayaan Hodan Faadumo Hawa Ibrahim Ismail Khalid Mahad
    Sahra Samira Tendai Tatenda Farai Rudo Chipo Nyasha Tawanda Thandiwe Themba Sipho Nomvula
    Kagiso Wanjiru Njeri Otieno Achieng Kamau Akua Kwadwo
    Delroy Desmond Errol Everton Hyacinth Leroy Marcia Merle Neville Winston Donovan Dwayne
    Fitzroy Marlon Shanice Tyrone Jermaine Claudette Lascelles Pearline Carlton Keisha Tanisha
    Agnieszka Aleksandra Andrzej Bartosz Dariusz Dorota Ewa Grzegorz Jakub Kasia Katarzyna
    Krzysztof Łukasz Magdalena Małgorzata Marek Mariusz Marta Michał Monika Paweł Piotr Rafał
    Tomasz Wojciech Zofia Zbigniew Krystyna Halina Jadwiga Bogdan Alexandru Andreea Cristina
    Florin Gheorghe Ioana Mihai Mihaela Nicoleta Radu Vasile Elena Aurimas Darius Eglė Giedrė
    Mantas Rasa Vytautas Rūta Dimitar Georgi Ivan Ivanka Petar Stoyan Nikolai Olena Oksana
    Olga Natalia Svetlana Tetiana Vladimir Dmitri Sergei Yuri Andriy Oleksandr Iryna Jana Jiří
    Petra Lucie Markéta Tereza Zsófia László István Gábor Katalin
    Xiaoming Xiaoli Jiahui Yifan Zhiwei Haoran Yuxuan Zihan Meiling Mei Ling Jing Hui Xin Ying
    Zhen Jie Qing Wei Ming Anh Binh Duc Hanh Hoa Hung Linh Minh Ngoc Phuong Quang Thanh Trang
    Tuan Dung Huong Maricel Marites Jocelyn Rowena
    Ahmad Amal Aziz Farid Hana Hussein Jamila Karim Layla Leila Mahmoud Mariam Maryam Mustafa
    Nour Omar Rania Reem Samir Tarek Yousef Youssef Zaid Zeynep Emre Mehmet Ayşe Elif Fatma
    Hasan Hüseyin Murat Kemal Rebin Shilan Dilan Hevi
    João Luís Miguel Rui Catarina Pedro Sofia Giuseppe Giovanni Francesca Giulia Marco Luca
    Alessandro Paola Stavros Eleni Dimitris Andreas Kostas Yiannis Nikos Despina
    Will Grace Hope Faith Joy Mark Bill Frank Rose Amber Sunny Dawn Holly Ivy Poppy Daisy
    Heather Iris Ruby Pearl Olive Violet Lily Ray Dean Guy Bob Pat Sue Sandy Drew Max Nick
    Rob Gene Carol Patience Mercy Jade Penny April May June Precious Blessing Comfort Gift
    Favour Charity Victor Miles Glen Dale Robin
    """
)

SURNAMES = words(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Clark Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Lee King Baker Harrison Morgan Allen James
    Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
    Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson
    Ellis Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Grey Mason Hunt Matthews Owen
    Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Dixon
    Harvey Graham Pearson Fletcher Walsh Gibson Howard Andrews Stewart Elliott Reynolds Saunders
    Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Dawson Ball
    Burton Watts Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman
    Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone
    Holland Hawkins Harding Porter Newton Oliver Reed Williamson Bird Gardner Dean Lane Cooke
    Bates Parry Burgess Bishop Walton Burns Nicholson Shepherd Cross Long Freeman Warren
    Nicholls Byrne Sutton Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss
    Chambers Griffin Sharp Hardy Wheeler Potter Osborne Johnston Wallace Rowe Burke Pritchard
    Gilbert Willis Higgins Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt
    Barber Nelson Slater Austin Sullivan Whitehouse Randall Fowler Ashworth Hargreaves
    Pugh Bowen Vaughan Prosser Probert Llewellyn Gwynne Howells Meredith Bevan Humphreys
    Rowlands Harries
    MacDonald McDonald MacLeod McLeod MacKenzie McKenzie Campbell Robertson Murray Fraser Ross
    Sinclair Cameron Munro Ferguson Henderson Paterson Reid Duncan Kerr Gillespie Buchanan
    McIntyre MacLean McGregor Urquhart Drummond Lamont Mackintosh Morrison Docherty Crawford
    Boyle Hamilton Kennedy Ogilvie Sutherland Gunn Rennie
    O'Sullivan O'Brien O'Connor O'Neill Reilly O'Reilly Doyle McCarthy Gallagher Doherty Lynch
    Quinn McLoughlin O'Carroll Connolly Daly O'Connell Brennan Dunne Fitzgerald Kavanagh
    Maguire Nolan Flanagan Farrell Mulligan Keane Hegarty Sheehan Donnelly Fitzpatrick Mahony
    Cullen Casey Madden McGuinness O'Donnell O'Hara O'Leary McManus
    Patel Shah Singh Kaur Khan Ahmed Ali Hussain Begum Akhtar Iqbal Rahman Islam Uddin Miah
    Chowdhury Choudhury Hossain Bibi Kumar Sharma Gupta Mehta Joshi Desai Mistry Parmar Chauhan
    Solanki Bhatt Gill Sandhu Sidhu Dhillon Grewal Bains Johal Sahota Virdi Malik Mahmood Butt
    Qureshi Rashid Javed Aslam Saleem Anwar Akram Aziz Siddiqui Sheikh Mirza Bhatti Chaudhry
    Raza Haider Nair Menon Pillai Reddy Rao Iyer Krishnan Subramanian Naidoo Fernando Perera
    Jayasuriya Wijesinghe Ratnam Thevarajah Kandiah Bose Banerjee Chatterjee Mukherjee Ghosh
    Okafor Okonkwo Nwosu Adeyemi Ogunleye Balogun Bello Olawale Afolabi Adeleke Oladipo Mensah
    Owusu Boateng Asante Addo Appiah Osei Agyeman Darko Ansah Acheampong Ndlovu Moyo Dube
    Sibanda Nkomo Mutasa Mwangi Otieno Odhiambo Kariuki Ochieng Abdi Farah Hassan Warsame Jama
    Egal Yusuf Diallo Traore Keita Kamara Conteh Sesay Bangura Koroma Kargbo Jalloh Dlamini
    Nkosi Tshabalala Eze Obi Adebayo
    Forbes Gayle Beckford Hinds Samuels Walcott Bryan Blake Lindo Daley DaCosta Henry
    Nowak Kowalski Kowalska Wiśniewski Wiśniewska Wójcik Kowalczyk Kamiński Kamińska
    Lewandowski Lewandowska Zieliński Zielińska Szymański Woźniak Dąbrowski Kozłowski Jankowski
    Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Nowicki
    Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski Jaworski Wróbel
    Malinowski Popescu Ionescu Popa Dumitru Stoica Rusu Munteanu Matei Constantin Lungu
    Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Ivanov Ivanova Petrov Petrova
    Georgiev Dimitrov Horváth Nagy Kovács Tóth Szabó Novák Svoboda Dvořák Shevchenko Bondarenko
    Kovalenko Boyko Tkachenko Melnyk Kravchenko Smirnov Popov Volkov Kuznetsov Bērziņš Kalniņš
    Wang Zhang Liu Chen Yang Huang Zhao Zhou Sun Zhu Guo Lin Gao Luo Zheng Liang Xie Song
    Tang Deng Feng Cao Peng Zeng Xiao Tian Pan Yuan Cai Jiang Cheng Lam Wong Chan Cheung Leung
    Ng Tsang Yip Kwok Lau Chow Tse Chu Fung Mak Tam Yeung Choi Lui Siu Lai Kwan Li Wu Xu Yu
    Nguyen Tran Pham Hoang Phan Vu Dang Bui Ngo Duong
    Abdullah Haddad Khalil Nasser Saleh Mansour Hamid Yilmaz Kaya Demir Şahin Çelik Yildiz
    Öztürk Aydin Arslan Doğan Karimi Ahmadi Hosseini Rezaei Mohammadi
    Santos Reyes Cruz Bautista Garcia Mendoza Ramos Aquino Villanueva
    Silva Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gonçalves Gomes
    Lopes Almeida Ribeiro Carvalho Rodriguez Martinez Lopez Gonzalez Hernandez Perez Sanchez
    Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Conti Papadopoulos
    Georgiou Christodoulou Nikolaou Constantinou Ioannou Charalambous
    """
)

# Names that are also everyday words or places. A capitalised one in the middle of a sentence
# is taken as a name ("I saw Grace"), but not at the start of a sentence, where every word is
# capitalised ("Hope this helps"), and never in lower case ("I will", "we hope").
NAME_LIKE_WORDS = words(
    """
    Will May Hope Grace Faith Joy Mark Bill Frank Rose Amber Sunny Dawn Summer Autumn Holly
    Ivy Poppy Daisy Heather Iris Ruby Pearl Crystal Olive Violet Lily Jasmine Hazel Ray Dean
    Rich Guy Bob Pat Sue Sandy Rusty Drew Chase Hunter Cliff Don Jack Max Nick Rob Gene Art
    Carol Patience Prudence Constance Honour Honor Mercy Sky Star Jade Storm Brook River Rain
    August June April Penny Earl King Prince Duke Rex Victor Grant Heath Lane Dale Glen Wade
    Miles Page Price Chance Lance Bud Buddy Lucky Precious Gift Blessing Favour Comfort Peace
    Love Happy Charity Goodness Trust Justice Verity Harmony Melody Destiny Unity Liberty
    Sterling Rocky Misty Candy Cherry Berry Brandy Ginger Honey Coco Kitty Sonny Sage Basil
    Rosemary Bella Nana Young Long Hall Green White Brown Black Wood Hill Ward Bell Cook
    Baker Carter Mason Hunt Knight Fisher Day Brooks West Ball Grey Gray Hart Marsh Stone Bird
    Cross Read Barber Sharp Hardy Potter Moss Burns Booth Carr Rowe Parsons Bishop Fox Ford
    Wells Walker Turner Porter Butler Shepherd Gardner Freeman Golding Sterling Noble Rich
    Summers Winter Spring Frost Snow Field Fields Banks Waters Rivers Marshall Major Small
    Short Little Strong Best Friend Hope Lord Angel Sister Nurse Doctor Matron Christian Islam
    Pip Bo Ha Mai Lan Man Van Min Jun Yan Hong Hua Tao Lei Fan Ho Lo Do Le Ma Ye He
    Jan Di Ed Al Dee Jo Vi Su Dot Mo Jay
    Bath Chester Jordan Lincoln Preston Derby Stafford Kendal Carlisle Sutton Barry Clifton Ely
    Bradford Warwick Stanley Shirley Luton Crewe Selby Hastings Bolton Burton Milton Norton
    Ashford Darlington Beverley Florence Georgia Victoria Sydney Adelaide Austin Dallas Paris
    Kingston Hamilton Livingston Dudley Elgin Kelso Buxton Whitby Harlow Hereford Ripon Romford
    Tyrone Kerry Clare Derry Devon Cornwall Kent India Asia Israel Ireland Wales
    Block Case Cases Server Stack Date Hook Branch Fit Ring Blank Master Pop Tan Powers Reader
    Marks Wise Bare Fresh Pole Guard Fee Dash Fancy Hood Bail Bridge Bridges Grab Smart Holder
    Bright Gates Sole Fair Hull Golden Ridge Ham Judge Diamond Rice Toy Steer Mate Sales Steward
    Gross Swift Rails Flood Purity Innocent Shine Pace Lamb Bull Bones Bite Rush Silk Pike Moon
    Downs Herd Divine Carpenter Pope Combs Roe Wren Sawyer Fuller Hare Church Chapel Temple
    Savage Gentle Goodman Wild Sweet Gold Silver Steel Iron Glass Cotton Wool Plum Bush Lamb
    Hung Dung Mali Sunday Tuesday Worthy Able Godly Goodwin Hollow Meadow Meadows Orchard Robin
    Sparrow Swan Crane Heron Finch Lark Bishop Abbot Dean Deacon Chancellor Marshal Sergeant
    Cannon Gunn Armour Spear Shield Castle Tower Towers Gate Wall Walls Street Lane Road Dale
    Forest Wolf Lion Bear Hawk Eagle Falcon Drake Fox Badger Buck Hart Stag Colt Pony
    """
)

# Places that are also people's names: after "in", "at", "from"... they are places.
PLACE_NAMES = words(
    """
    Bath Chester Jordan Lincoln Preston Derby Stafford Kendal Carlisle Sutton Barry Clifton Ely
    Bradford Warwick Stanley Shirley Luton Crewe Selby Hastings Bolton Burton Milton Norton
    Ashford Darlington Beverley Florence Georgia Victoria Sydney Adelaide Austin Dallas Paris
    Kingston Hamilton Livingston Dudley Elgin Kelso Buxton Whitby Harlow Hereford Ripon Romford
    Tyrone Kerry Clare Derry Devon Cornwall Kent India Jamaica Wales Ireland Poland Lagos Accra
    Leeds Bristol London Manchester Liverpool Sheffield Newcastle Cardiff Swansea Glasgow
    Edinburgh Belfast Birmingham Nottingham Leicester Coventry Oxford Cambridge Norwich York
    Hull Plymouth Exeter Truro Middlesbrough Sunderland Wrexham Bangor Aberdeen Dundee Inverness
    Salford Oldham Wigan Rochdale Stockport Huddersfield Halifax Wakefield Doncaster Rotherham
    Barnsley Grimsby Ipswich Colchester Chelmsford Southend Brighton Portsmouth Southampton
    Bournemouth Swindon Reading Slough Watford Guildford Maidstone Canterbury Dover Gloucester
    Cheltenham Worcester Telford Shrewsbury Wolverhampton Walsall Dudley Stoke Lancaster
    Blackpool Blackburn Burnley Bury Bradford Harrogate Scarborough Durham Gateshead Carlisle
    """
)

# Titles that are always followed by a name when capitalised: "Dr Patel", "Mrs Jones".
TITLES = words("Dr Mr Mrs Ms Miss Mx Prof Professor Sr Rev Revd Sir Dame Cllr Mstr Master")

# Words that are a title before a name and an ordinary noun elsewhere: "Sister Morris" and
# "Nurse Jenny", but "my sister" and "the nurse".
SOFT_TITLES = words(
    """
    Sister Nurse Doctor Matron Father Auntie Aunty Aunt Uncle Nanna Nana Nan Grandma Grandad
    Granddad Granny Gran Grandpa Nanny Pastor Imam Rabbi Brother
    """
)

# Family and friends: "my husband Dave", "our daughter, Grace".
RELATIONS = words(
    """
    husband wife partner son daughter mum mom mother dad father brother sister friend
    grandson granddaughter grandchild nan nana nanna gran granny grandma grandad granddad
    grandpa grandmother grandfather aunt auntie aunty uncle niece nephew cousin neighbour
    neighbor carer boyfriend girlfriend fiancé fiance fiancée fiancee stepson stepdaughter
    stepmum stepdad sibling twin child kid baby boy girl mate pal colleague lodger flatmate
    mummy daddy mommy
    """
)

# Words that may sit between "my" and a relation: "my late husband", "my eldest daughter".
RELATION_ADJECTIVES = words(
    """
    late eldest youngest oldest older younger little big best dear lovely wonderful beloved
    twin step adult grown own elder baby new ex
    """
)

# Jobs that are followed by the person's name: "the consultant Mr Shah", "my nurse Jenny".
ROLES = words(
    """
    consultant surgeon oncologist haematologist radiologist radiographer registrar doctor nurse
    sister matron physio physiotherapist receptionist specialist cns gp midwife volunteer
    porter pharmacist dietitian dietician counsellor chaplain hca therapist navigator
    coordinator co-ordinator secretary manager lead worker assistant practitioner anaesthetist
    urologist gynaecologist dermatologist psychologist neurologist paramedic housekeeper
    cleaner driver advisor adviser officer facilitator interviewer researcher
    """
)

# Words after which the next capitalised word is someone's name.
NAMING_CUES = words(
    """
    called named nicknamed thanks thank cheers dear hi hello hiya regards wishes sincerely
    faithfully love introduced contact name patient especially particularly esp
    participant respondent interviewee
    """
)
# Two-word cues, written as they appear: "my name is Tendai", "ask for Moses".
NAMING_PHRASES = phrases(
    """
    name is
    name's
    names are
    known as
    i'm
    i am
    this is
    ask for
    asked for
    asking for
    thanks to
    thank you
    thank you to
    grateful to
    shout out to
    shoutout to
    looked after by
    seen by
    treated by
    operated on by
    spoke to
    spoke with
    speak to
    speak with
    talked to
    talk to
    thanks again to
    thank you again
    thank you so much
    thanks so much
    thank you very much
    thanks very much
    big thanks to
    wishes to
    regards to
    love to
    introduced to
    introduced me to
    """
)

# Verbs and phrases that, straight after a capitalised word, show it is a person: "Tendai
# explained everything", "Wojciech was so kind". They are chosen to be things places and
# medicines do not do.
PERSON_VERBS = words(
    """
    said says told tells explained explains asked asks listened listens rang rings phoned
    phones smiled smiles laughed laughs reassured reassures hugged hugs cried cries introduced
    introduces answered answers remembered remembers apologised apologises promised promises
    knew knows sat sits popped pops held holds chatted chats joked jokes cared cares
    """
)
PERSON_ADJECTIVES = words(
    """
    kind caring patient gentle rude friendly lovely compassionate understanding polite
    attentive dismissive abrupt sweet funny thoughtful considerate empathetic
    """
)

# Words after a capitalised word that make it part of a place or organisation: "Rose Ward",
# "James Cook University Hospital", "Maggie's Centre".
INSTITUTION_WORDS = words(
    """
    Hospital Hospitals Infirmary Centre Center Centres Unit Units Ward Wards Wing Suite House
    Hospice Trust Clinic Clinics Surgery Practice Medical Health Healthcare University College
    School Foundation Institute Pharmacy Road Street Lane Avenue Drive Way Close Crescent
    Park Square Gardens Place Court Building Block Lodge Hall Village Station Airport Church
    Mosque Temple Gurdwara Library Council Group Charity Society Service Services Team Network
    Alliance Appeal Fund Programme Project Campaign Support Partnership Board Committee Ltd
    Limited Plc Community Green Road Estate Street Vale Valley Bay Bridge Hill Hills Care
    Cancer
    """
)

# Place and organisation names in the cancer world that contain names or look like them. Each
# line is matched word by word; no word of a match is a person.
ORGANISATIONS = phrases(
    """
    Macmillan
    Maggie's
    Maggies
    Marie Curie
    Sue Ryder
    Penny Brohn
    Christie
    Christie's
    Royal Marsden
    Marsden
    Clatterbridge
    Velindre
    Beatson
    Addenbrooke's
    Addenbrookes
    Guy's
    Guys
    St Thomas'
    St Thomas's
    Ninewells
    Tenovus
    Teenage Cancer Trust
    Cancer Research UK
    Prostate Cancer UK
    Breast Cancer Now
    Bowel Cancer UK
    Young Lives vs Cancer
    CLIC Sargent
    Willow Foundation
    Florence Nightingale
    Nightingale
    Weston Park
    Mount Vernon
    Wythenshawe
    Derriford
    Musgrove Park
    Treliske
    Frimley Park
    Walsgrave
    Morriston
    Singleton Hospital
    Ysbyty Gwynedd
    Glan Clwyd
    Altnagelvin
    Craigavon
    Raigmore
    Western General
    Leeds General
    Jimmy's
    St James's
    St James
    St Luke's
    St Ann's
    St Christopher's
    St Gemma's
    St Bartholomew's
    Barts
    Papworth
    Churchill Hospital
    Freeman Hospital
        Queen Elizabeth
    Princess Royal
    Royal Victoria
    Royal Free
    Royal Brompton
    Hope Hospital
        Haven
    Look Good Feel Better
    Citizens Advice
    Age UK
    Samaritans
    Boots
    Tesco
    Asda
    Sainsbury's
    Morrisons
    McDonald's
    Marks and Spencer
    Marks & Spencer
    Costa
    Greggs
    Specsavers
    Halfords
    Waitrose
    Aldi
    Lidl
    WhatsApp
    Facebook
    Google
    Zoom
    Teams
    YouTube
    BBC
    """
)

# Words that are never a person's name in this setting, however they are written: months,
# days, festivals, faiths, nationalities, medicines and other capitalised nouns.
NEVER_NAMES = words(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs
    Fri Sat Sun Christmas Xmas Easter Ramadan Eid Diwali Vaisakhi Hanukkah Passover Lent
    New Year Boxing Bank Holiday
    God Jesus Christ Allah Buddha Heaven Bible Quran Koran
    English British Welsh Scottish Irish Scots Polish Romanian Lithuanian Bulgarian Ukrainian
    Russian Indian Pakistani Bangladeshi Bengali Punjabi Gujarati Urdu Hindi Tamil Sri
    Lankan Chinese Cantonese Mandarin Vietnamese Nigerian Ghanaian Somali Kenyan Zimbabwean
    African Caribbean Jamaican Asian European American Arab Arabic Turkish Kurdish Portuguese
    Spanish Italian Greek French German Filipino Muslim Hindu Sikh Jewish Buddhist
    Catholic Protestant Anglican Methodist Baptist Orthodox
    NHS GP GPs A&E ICU ITU MRI CT PET MDT CNS HCA PALS FFT Covid Covid-19 Coronavirus
    Tamoxifen Herceptin Letrozole Anastrozole Exemestane Capecitabine Zoladex Keytruda
    Pembrolizumab Nivolumab Opdivo Avastin Bevacizumab Cisplatin Carboplatin Oxaliplatin
    Paclitaxel Docetaxel Taxol Taxotere Epirubicin Doxorubicin Cyclophosphamide Folfox Folfiri
    FEC EC AC Gemcitabine Temozolomide Rituximab Trastuzumab Pertuzumab Abemaciclib Palbociclib
    Ribociclib Olaparib Enzalutamide Abiraterone Bicalutamide Prostap Decapeptyl Denosumab
    Zometa Filgrastim Neulasta Dexamethasone Ondansetron Metoclopramide Domperidone
    Lansoprazole Omeprazole Paracetamol Ibuprofen Codeine Co-codamol Tramadol Morphine Oramorph
    Oxycodone Fentanyl Gabapentin Pregabalin Amitriptyline Sertraline Citalopram Movicol
    Senna Lactulose Loperamide Imodium Fortisip Ensure Creon Warfarin Apixaban Rivaroxaban
    Clexane Heparin Insulin Metformin Herceptin Kadcyla Lynparza Xeloda Arimidex Femara
    Aromasin Nolvadex Lupron Casodex Zytiga Xtandi Revlimid Velcade Imbruvica Gleevec Glivec
    Sutent Nexavar Tarceva Iressa Tagrisso Alecensa Yervoy Tecentriq Imfinzi Bavencio
    Internet Wi-Fi WiFi Wifi Parking Radiotherapy Chemotherapy Chemo Immunotherapy Oncology
    Haematology Urology Gynaecology Dermatology Cardiology Radiology Pathology Surgery Outpatients
    Inpatients Reception Pharmacy Physiotherapy Covid Brexit Unit Bay Room Clinic
    """
)

# Speaker labels in transcripts that name a role, not a person.
SPEAKER_ROLES = words(
    """
    Interviewer Interviewee Facilitator Cofacilitator Co-facilitator Moderator Participant
    Participants Respondent Speaker Speakers Note Notes Question Questions Answer Q A Patient
    Carer Nurse Doctor Chair Observer Researcher Unknown Inaudible Everyone All Group Multiple
    Staff Comment Comments Response Summary Action Actions Agenda Date Time Subject Re
    Location Present Apologies Attendees Transcript Transcriber Translator Interpreter
    Member Members Lead Host Guest Audience Voice Voices Male Female Man Woman Other Others
    Several Both Mum Dad Son Daughter Husband Wife Partner Friend Relative Clinician Consultant
    Volunteer Volunteers Admin Administrator Coordinator Manager Minutes Item Items Outcome
    Outcomes Overall Positive Positives Negative Negatives Improvements Improvement Feedback
    Why What When Where Who How Yes No Ok Okay Example Examples Reason Reasons Topic Topics
    Theme Themes Background Context Introduction Ending End Start Break Pause Laughter Crosstalk
    """
)

# Short lower-case words that join the parts of a name: "Ludwig van Beethoven", "Huw ap Rhys".
SURNAME_PARTICLES = words(
    "van von de der den da das dos di du del della la le bin binti bint ap ab al el abu"
)

# Words before a place: "in Bath", "at the Christie", "from Chester".
LOCATIVES = words(
    "in at from near into to towards outside around via through of inside onto on off"
)

# Words that are never names and never start one, in any case: the everyday words of English
# and of NHS feedback. A capitalised word that is not in a gazetteer and not here is "unknown":
# the rules treat it as a name only with other evidence.
COMMON_WORDS = words(
    """
    a about above across actually after afternoon again against ago all almost alone along
    already also although always am among amount an and another any anybody anyone anything
    anyway anywhere are area aren't around as ask asked asking at away back bad badly be
    became because become been before began behind being below best better between beyond big
    bit both brought but by came can cannot can't could couldn't day days did didn't do does
    doesn't doing done don't down during each early either else end enough even ever every
    everybody everyone everything everywhere except far felt few find first for found from
    full further get gets getting give given go goes going gone good got great had hadn't half
    has hasn't have haven't having he he'd he's her here hers herself him himself his how
    however i i'd i'll i'm i've if in inside instead into is isn't it it's its itself just
    keep kept know known last late later least left less let like likely little long look lot
    lots made make makes making many may maybe me mean meant might mine more most much must my
    myself near nearly need needed needs never new next no nobody none nor not nothing now of
    off often oh ok okay old on once one only onto or other others otherwise our ours
    ourselves out over own part past per perhaps please put quite rather really right said
    same saw say says see seem seemed seen several shall she she'd she's should shouldn't
    since so some somebody someone something sometimes somewhere soon still such sure take
    taken than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've thing things think this those though thought through thus
    till time times to today together told too took toward towards tried try trying twice
    two under until up upon us use used very via want wanted was wasn't way we we'd we'll we're
    we've well went were weren't what what's whatever when whenever where whether which while
    who whole whom whose why will with within without won't would wouldn't yes yet you you'd
    you'll you're you've your yours yourself yourselves also anyhow hence therefore
    one two three four five six seven eight nine ten eleven twelve twenty thirty hundred
    first second third fourth fifth once twice
    excellent brilliant fantastic amazing wonderful lovely great good nice kind caring
    friendly helpful polite rude poor terrible awful bad fine ok okay happy sad unhappy
    grateful thankful pleased satisfied dissatisfied disappointed upset worried anxious
    scared frightened nervous calm relaxed comfortable uncomfortable clean dirty tidy messy busy
    quiet noisy loud cold hot warm long short quick slow fast late early prompt efficient
    professional unprofessional compassionate supportive reassuring informative clear unclear
    confusing confused easy difficult hard simple complicated helpful unhelpful outstanding
    superb perfect ideal exceptional marvellous fabulous incredible awesome lovely super
    special important useful useless better worse worst best overall generally general
    staff team teams nurse nurses nursing doctor doctors consultant consultants surgeon
    surgeons registrar specialist specialists practitioner practitioners sister sisters matron
    receptionist receptionists reception porter porters volunteer volunteers pharmacist
    physio physiotherapist therapist therapists radiographer radiographers oncologist
    oncologists clinician clinicians carer carers patient patients relative relatives family
    families friend friends husband wife partner son daughter mum mother dad father brother
    child children people person everyone team manager managers admin administration
    secretary secretaries navigator coordinator lead leads worker workers assistant
    assistants support healthcare care cared caring service services hospital hospitals ward
    wards unit units clinic clinics centre centres department departments appointment
    appointments treatment treatments chemo chemotherapy radiotherapy immunotherapy surgery
    operation operations scan scans biopsy biopsies test tests result results diagnosis
    diagnosed cancer cancers tumour tumours oncology haematology urology gynaecology
    breast bowel lung prostate skin blood pain sickness nausea infection infections
    medication medicine medicines drug drugs tablet tablets injection injections drip
    cannula port line pump bed beds room rooms bay bays toilet toilets shower food meal meals
    drink drinks tea coffee water parking car park cars bus buses taxi transport travel
    journey waiting wait waited queue queues delay delays delayed cancelled cancellation
    letter letters phone phones call calls called calling email emails text texts message
    messages leaflet leaflets information info advice explanation explanations answer answers
    question questions questions form forms record records notes report reports plan plans
    follow follow-up followup check check-up checkup visit visits visiting visitor visitors
    home house work job money cost costs price charges bill bills benefits help helped
    helping listen listened listening explain explained explaining understand understood
    communication communicate communicated information involvement involved feedback
    survey comment comments suggestion suggestions improvement improvements improve improved
    change changes changed experience experiences journey pathway stage stages review
    meeting meetings group groups session sessions workshop workshops forum forums panel
    panels event events project projects focus interview interviews discussion topic topics
    week weeks weekend weekends month months year years hour hours minute minutes morning
    mornings evening evenings night nights today yesterday tomorrow tonight moment moments
    life death died dying passed living lived live home place places area areas town city
    country world way ways side end start beginning middle front reason reasons problem
    problems issue issues matter matters fact facts point points kind kinds sort sorts type
    types number numbers lot lots bit bits piece part parts whole thing things stuff
    everything nothing something anything situation condition conditions health wellbeing
    mental physical emotional feeling feelings feel feels felt thought thoughts mind heart
    body head hand hands arm arms leg legs back chest stomach hair eyes face voice words
    word name names address contact details access support system systems process
    processes online website app computer internet portal video zoom teams virtual
    remote face-to-face telephone mobile number emergency urgent routine private public
    local national regional new old young older younger elderly disabled disability
    language languages interpreter interpreters translation translated english
    thank thanks thankyou cheers sorry please hello hi dear regards wishes sincerely
    yes no not never always sometimes often usually rarely occasionally again still just
    only even ever very really quite rather too so such much many more most less least
    enough fully truly extremely incredibly absolutely totally completely entirely highly
    particularly especially definitely certainly probably possibly perhaps maybe hopefully
    unfortunately fortunately luckily sadly thankfully honestly personally obviously
    clearly simply basically literally actually generally overall
    going come coming came go went gone get got getting give gave given take took taken make
    made making put keep kept let tell told telling ask asked asking say said saying speak
    spoke spoken talk talked talking show showed shown seem seemed look looked looking see
    saw seen hear heard know knew known think thought want wanted need needed like liked
    love loved hate hated enjoy enjoyed hope hoped wish wished worry worried happen happened
    happens start started finish finished stop stopped stay stayed leave left arrive arrived
    return returned bring brought send sent receive received provide provided offer offered
    arrange arranged organise organised sort sorted deal dealt manage managed cope coped
    treat treated diagnose recover recovered recovery feel made sure able unable allowed
    led new x-ray xray follow-up aftercare royal general district county city central
    north south east west upper lower great
    wasnt didnt couldnt wouldnt shouldnt dont doesnt isnt arent werent wont cant hasnt
    havent hadnt im ive id youre theyre thats theres whats lets u ur pls plz thx tho cos
    coz gonna wanna gotta abit alot nite 2day tmrw appt appts dept asap btw thru
    """
)
