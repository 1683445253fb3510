/**
 * W-31: when a deviation is found the system recommends corrective actions. A static catalogue: each alert
 * type → a title and recommended actions in Kazakh, Russian and English, shown with the alert and in urgent
 * reports. Metrological verification is «салыстырып тексеру» / «поверка» as in the law on measurements.
 */
import type { AlertType } from './types';

export type Locale = 'kk' | 'ru' | 'en';
export type Localized = Record<Locale, string>;
export type Recommendation = { id: string; text: Localized };
export type CatalogueEntry = { title: Localized; actions: readonly Recommendation[] };

export const RECOMMENDATIONS: Record<AlertType, CatalogueEntry> = {
  night_flow_high: {
    title: {
      kk: 'Есепке алу аймағында түнгі ең аз шығынның артуы (ағып кету күдігі)',
      ru: 'Рост минимального ночного расхода в зоне учёта (подозрение на утечку)',
      en: 'Minimum night flow up in a district metered area (suspected leak)',
    },
    actions: [
      {
        id: 'send_leak_detection',
        text: {
          kk: 'Есепке алу аймағына (DMA) ағып кетулерді іздейтін бригада жіберу.',
          ru: 'Направить бригаду по поиску утечек в зону учёта (DMA).',
          en: 'Send a leak detection crew to the district metered area (DMA).',
        },
      },
      {
        id: 'check_district_metering',
        text: {
          kk: 'Аймақтың кірісі мен шығысындағы есепке алу құралдарын тексеру: өлшеу қатесін болдырмау.',
          ru: 'Проверить приборы учёта на входе и выходе зоны учёта, чтобы исключить ошибку измерения.',
          en: 'Check the district meters at the inlets and outlets of the area to rule out a metering error.',
        },
      },
      {
        id: 'check_night_users',
        text: {
          kk: 'Гидранттардың немесе жуу шығарғыштарының ашық қалмағанын және жаңа түнгі тұтынушылардың жоқтығын тексеру.',
          ru: 'Проверить, не открыты ли гидранты и промывочные выпуски, нет ли новых ночных потребителей.',
          en: 'Check for open hydrants or flushing outlets and for new night-time users.',
        },
      },
    ],
  },
  night_pressure_high: {
    title: {
      kk: 'Түнгі қысым ең жоғарғы мәннен жоғары',
      ru: 'Ночное давление выше максимального',
      en: 'Night pressure above the maximum',
    },
    actions: [
      {
        id: 'lower_prv_setpoint',
        text: {
          kk: 'Түнгі сағаттарға қысымды төмендететін клапанның (қысым реттегішінің) баптау мәнін төмендету.',
          ru: 'Снизить уставку редукционного клапана (регулятора давления) на ночные часы.',
          en: "Lower the pressure-reducing valve's set point for the night hours.",
        },
      },
      {
        id: 'check_prv',
        text: {
          kk: 'Қысымды төмендететін клапанның ақаусыз екенін тексеру (ашық күйде тұрып қалмағанын).',
          ru: 'Проверить исправность редукционного клапана (не заклинило ли его в открытом положении).',
          en: 'Check that the pressure-reducing valve works (is not stuck open).',
        },
      },
      {
        id: 'reduce_night_pumping',
        text: {
          kk: 'Түнгі уақытта сорғылардың айналу жиілігін азайту немесе сорғылардың бірін ажырату.',
          ru: 'Снизить частоту вращения насосов или отключить один из насосов в ночное время.',
          en: 'Reduce pump speed or switch one pump off at night.',
        },
      },
    ],
  },
  pressure_high: {
    title: {
      kk: 'Қысым ең жоғарғы мәннен жоғары',
      ru: 'Давление выше максимального',
      en: 'Pressure above the maximum',
    },
    actions: [
      {
        id: 'reduce_pressure',
        text: {
          kk: 'Қысым реттегіші мен сорғылардың жұмысын тексеріп, қысымды нормаға дейін төмендету.',
          ru: 'Проверить работу регулятора давления и насосов, снизить давление до нормы.',
          en: 'Check the pressure regulator and the pumps and bring the pressure back to the norm.',
        },
      },
      {
        id: 'check_pressure_sensor',
        text: {
          kk: 'Қысым датчигінің калибрлеуін тексеру.',
          ru: 'Проверить калибровку датчика давления.',
          en: "Check the pressure sensor's calibration.",
        },
      },
    ],
  },
  pressure_low: {
    title: {
      kk: 'Қысым ең төменгі мәннен төмен',
      ru: 'Давление ниже минимального',
      en: 'Pressure below the minimum',
    },
    actions: [
      {
        id: 'check_pumps_valves_burst',
        text: {
          kk: 'Сорғылардың жұмысын және ысырмалардың күйін тексеру, желіде құбырдың жарылуын іздеу.',
          ru: 'Проверить работу насосов и положение задвижек, обследовать сеть на предмет порыва.',
          en: 'Check the pumps and the valves and look for a burst in the network.',
        },
      },
      {
        id: 'notify_consumers',
        text: {
          kk: 'Су беру үзілген жағдайда тұтынушыларды хабардар ету және апаттық бригада жіберу.',
          ru: 'При перебоях в подаче воды оповестить потребителей и направить аварийную бригаду.',
          en: 'If supply is interrupted, inform the consumers and send an emergency crew.',
        },
      },
    ],
  },
  voltage_deviation: {
    title: {
      kk: 'Қоректендіру кернеуінің ±10 %-дан артық ауытқуы',
      ru: 'Отклонение напряжения питания более чем на ±10 %',
      en: 'Supply voltage deviates by more than ±10 %',
    },
    actions: [
      {
        id: 'inspect_power_supply',
        text: {
          kk: 'Сорғының электрмен қоректенуін және трансформаторды тексеру.',
          ru: 'Проверить электропитание насоса и трансформатор.',
          en: "Inspect the pump's power supply and the transformer.",
        },
      },
      {
        id: 'check_phases_contact_grid',
        text: {
          kk: 'Фазалар симметриясы мен түйіспелі қосылыстарды тексеру, қажет болса электр желісі компаниясына хабарласу.',
          ru: 'Проверить симметрию фаз и контактные соединения, при необходимости обратиться в электросетевую компанию.',
          en: 'Check the phase balance and the connections; contact the power grid company if needed.',
        },
      },
      {
        id: 'protect_motor',
        text: {
          kk: 'Ауытқу сақталса, қозғалтқышты қорғау үшін резервтік қоректендіруге ауысу немесе сорғыны тоқтату.',
          ru: 'Если отклонение сохраняется, для защиты двигателя перейти на резервное питание или остановить насос.',
          en: 'If the deviation persists, protect the motor: switch to a standby supply or stop the pump.',
        },
      },
    ],
  },
  consumption_above_norm: {
    title: {
      kk: 'Тұтыну нормадан жоғары',
      ru: 'Потребление выше нормы',
      en: 'Consumption above the norm',
    },
    actions: [
      {
        id: 'check_consumer_leaks',
        text: {
          kk: 'Тұтынушының есепке алу құралын және ішкі желілерін ағып кетудің бар-жоғына тексеру.',
          ru: 'Проверить прибор учёта и внутренние сети потребителя на наличие утечек.',
          en: "Check the consumer's meter and internal plumbing for leaks.",
        },
      },
      {
        id: 'check_unauthorised_and_norm',
        text: {
          kk: 'Рұқсатсыз қосылулардың жоқтығын және қолданылатын норманың дұрыстығын тексеру.',
          ru: 'Проверить отсутствие несанкционированных подключений и правильность применяемой нормы.',
          en: 'Check for unauthorised connections and that the right norm is applied.',
        },
      },
    ],
  },
  seasonal_above: {
    title: {
      kk: 'Мән аптаның осы сағатына тән деңгейден жоғары',
      ru: 'Значение выше обычного для этого часа недели',
      en: 'Value above the usual range for this hour of the week',
    },
    actions: [
      {
        id: 'compare_neighbours',
        text: {
          kk: 'Көрші аймақтармен және түнгі шығынмен салыстыру: ағып кетудің немесе судың әдеттен тыс алынуының бар-жоғын тексеру.',
          ru: 'Сравнить с соседними зонами и ночным расходом: проверить наличие утечки или нетипичного отбора воды.',
          en: 'Compare with neighbouring areas and the night flow: look for a leak or an unusual draw-off.',
        },
      },
      {
        id: 'check_sensor_data',
        text: {
          kk: 'Датчикті және деректердің дұрыстығын тексеру.',
          ru: 'Проверить датчик и достоверность данных.',
          en: 'Check the sensor and the validity of the data.',
        },
      },
    ],
  },
  seasonal_below: {
    title: {
      kk: 'Мән аптаның осы сағатына тән деңгейден төмен',
      ru: 'Значение ниже обычного для этого часа недели',
      en: 'Value below the usual range for this hour of the week',
    },
    actions: [
      {
        id: 'check_supply',
        text: {
          kk: 'Су беруді тексеру: сорғыларды, ысырмаларды және резервуардағы деңгейді.',
          ru: 'Проверить подачу воды: насосы, задвижки и уровень в резервуаре.',
          en: 'Check the supply: pumps, valves and the reservoir level.',
        },
      },
      {
        id: 'check_sensor_link',
        text: {
          kk: 'Датчикті және байланыс арнасын тексеру.',
          ru: 'Проверить датчик и канал связи.',
          en: 'Check the sensor and its communication link.',
        },
      },
    ],
  },
  device_silent: {
    title: {
      kk: 'Құрылғы деректер жібермейді',
      ru: 'Устройство не передаёт данные',
      en: 'Device not reporting',
    },
    actions: [
      {
        id: 'check_power_and_link',
        text: {
          kk: 'Құрылғының электрмен қоректенуін және байланыс арнасын тексеру.',
          ru: 'Проверить электропитание устройства и канал связи.',
          en: "Check the device's power supply and communication link.",
        },
      },
      {
        id: 'send_technician',
        text: {
          kk: 'Байланыс қалпына келмесе, объектіге маман жіберу.',
          ru: 'Если связь не восстановится, направить специалиста на объект.',
          en: 'If the link is not restored, send a technician to the site.',
        },
      },
    ],
  },
  verification_due: {
    title: {
      kk: 'Салыстырып тексеру мерзімі жақындады',
      ru: 'Приближается срок поверки',
      en: 'Meter verification due soon',
    },
    actions: [
      {
        id: 'schedule_verification',
        text: {
          kk: 'Есепке алу құралын салыстырып тексеруді мерзімі жеткенге дейін жоспарлау.',
          ru: 'Запланировать поверку прибора учёта до наступления срока.',
          en: "Schedule the meter's verification before the due date.",
        },
      },
      {
        id: 'prepare_replacement',
        text: {
          kk: 'Салыстырып тексеру кезеңіне алмастыратын құрал дайындау.',
          ru: 'Подготовить подменный прибор на время поверки.',
          en: 'Prepare a replacement device for the verification period.',
        },
      },
    ],
  },
  verification_overdue: {
    title: {
      kk: 'Салыстырып тексеру мерзімі өтіп кетті',
      ru: 'Срок поверки истёк',
      en: 'Meter verification overdue',
    },
    actions: [
      {
        id: 'withdraw_for_verification',
        text: {
          kk: 'Есепке алу құралын салыстырып тексеруге алу; тексерілгенге дейін оның көрсеткіштері метрологиялық тұрғыдан сенімсіз деп белгіленеді.',
          ru: 'Снять прибор учёта на поверку; до поверки его показания помечаются как метрологически недостоверные.',
          en: 'Withdraw the meter for verification; until it is verified its readings are flagged as not metrologically valid.',
        },
      },
      {
        id: 'install_verified_replacement',
        text: {
          kk: 'Салыстырып тексерілген алмастыратын құралды орнату.',
          ru: 'Установить поверенный подменный прибор.',
          en: 'Install a verified replacement meter.',
        },
      },
    ],
  },
};

/** The title and actions of an alert type in one language. */
export function recommendationsFor(type: AlertType, locale: Locale): { title: string; actions: { id: string; text: string }[] } {
  const e = RECOMMENDATIONS[type];
  return { title: e.title[locale], actions: e.actions.map((a) => ({ id: a.id, text: a.text[locale] })) };
}
