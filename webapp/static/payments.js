// The card payment page: Stripe.js collects the card into a SetupIntent, then OnDeck charges
// it. Card details go from this page to Stripe only; OnDeck sees Stripe's ids.
(function () {
  "use strict";

  var form = document.getElementById("card-payment");
  if (!form || typeof window.Stripe === "undefined") return;

  var stripe = window.Stripe(form.getAttribute("data-publishable-key"));
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var message = document.getElementById("card-message");
  var button = document.getElementById("pay-button");

  function say(text) {
    message.textContent = text;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "Something went wrong. Reload the page and try again." };
      });
    });
  }

  function fail(text) {
    say(text || "The card was not accepted.");
    button.disabled = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say("Checking the card with Stripe…");
    var data = new FormData(form);
    post(form.getAttribute("data-setup-url"), data)
      .then(function (setup) {
        if (!setup.client_secret) throw new Error(setup.error);
        return stripe.confirmCardSetup(setup.client_secret, { payment_method: { card: card } });
      })
      .then(function (result) {
        if (result.error) throw new Error(result.error.message);
        data.set("setup_intent", result.setupIntent.id);
        say("Paying…");
        return post(form.action, data);
      })
      .then(function (paid) {
        if (!paid.next) throw new Error(paid.error);
        if (!paid.client_secret) return paid.next;
        // The bank asks the client to confirm: Stripe.js shows its check, then OnDeck reads
        // the outcome from Stripe on the next page.
        return stripe.confirmCardPayment(paid.client_secret).then(function () {
          return paid.next;
        });
      })
      .then(function (next) {
        window.location.assign(next);
      })
      .catch(function (error) {
        fail(error && error.message);
      });
  });
})();
